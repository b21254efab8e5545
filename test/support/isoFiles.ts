// Real ISO 9660 images for tests, made with genisoimage (Debian's; .ci/peers.sh installs it), and
// their contents read back with isoinfo; uploads to ISO domains over HTTP.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Makes `<dir>/<name>` an ISO image with volume label `label` holding `files` (name → content). */
export function makeIso(dir: string, name: string, label: string, files: Record<string, string | Buffer>): string {
  const content = mkdtempSync(path.join(os.tmpdir(), 'vireo-iso-content-'));
  try {
    for (const [file, data] of Object.entries(files)) writeFileSync(path.join(content, file), data);
    const out = path.join(dir, name);
    execFileSync('genisoimage', ['-quiet', '-V', label, '-J', '-r', '-o', out, content]);
    return out;
  } finally {
    rmSync(content, { recursive: true, force: true });
  }
}

/** A file's content inside an ISO image (its Joliet name), read with isoinfo. */
export function readIsoFile(iso: string, file: string): string {
  return execFileSync('isoinfo', ['-i', iso, '-J', '-x', `/${file}`]).toString();
}

/** The volume label of an ISO image. */
export function isoLabel(iso: string): string {
  const m = /^Volume id:\s*(.*)$/m.exec(execFileSync('isoinfo', ['-d', '-i', iso]).toString());
  return m?.[1]?.trim() ?? '';
}

/** Where an ISO image is PUT, beside the engine's GraphQL URL. */
export function isoUploadUrl(engineUrl: string, domainId: string, name: string): URL {
  return new URL(`/iso-images/${encodeURIComponent(domainId)}/${encodeURIComponent(name)}`, engineUrl);
}

/** PUTs an ISO image (or any bytes) to an ISO domain over real HTTP, as `curl -T` does; the status and JSON answer. */
export async function uploadIso(
  engineUrl: string,
  token: string | null,
  domainId: string,
  name: string,
  body: Buffer | Readable,
): Promise<{ status: number; body: any }> {
  const res = await fetch(isoUploadUrl(engineUrl, domainId, name), {
    method: 'PUT',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body,
    ...(body instanceof Readable ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`the engine answered ${res.status} without JSON: ${text.slice(0, 300)}`);
  }
}
