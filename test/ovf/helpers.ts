// Shared test support for the OVF/OVA tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import tar from 'tar-stream';

/**
 * The real descriptors of shared/fixtures/ovf, not copied into the project: beside the checkout,
 * or beside the repository a clone was made from (a CI clone elsewhere), or VIREO_SHARED_OVF.
 */
export const SHARED_OVF = sharedOvfDir();

function sharedOvfDir(): string {
  const root = path.resolve(import.meta.dirname, '../..');
  const besideCheckout = path.resolve(root, '../shared/fixtures/ovf');
  let besideOrigin: string | undefined;
  try {
    const origin = execFileSync('git', ['-C', root, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (path.isAbsolute(origin)) besideOrigin = path.resolve(origin, '../shared/fixtures/ovf');
  } catch { /* not a clone */ }
  return [process.env.VIREO_SHARED_OVF, besideCheckout, besideOrigin].find((dir) => dir && existsSync(dir)) ?? besideCheckout;
}
/** This suite's own small fixtures. */
export const OWN_OVF = path.resolve(import.meta.dirname, 'fixtures');

export function shared(name: string): string {
  return readFileSync(path.join(SHARED_OVF, name), 'utf8');
}

export function own(name: string): string {
  return readFileSync(path.join(OWN_OVF, name), 'utf8');
}

/** The id of the VM in the shared oVirt engine descriptor (ovirt-engine_vmOvfData.xml). */
export const OVIRT_VM_ID = '70f24c82-a7b8-4e0b-9192-cffd5705cf5c';

/** The shared oVirt engine descriptor as oVirt's OvfTemplateWriter would write the same object: a template. */
export function ovirtTemplateDescriptor(): string {
  return shared('ovirt-engine_vmOvfData.xml')
    .replace('<TemplateId>00000000-0000-0000-0000-000000000000</TemplateId>', `<TemplateId>${OVIRT_VM_ID}</TemplateId>`)
    .replace('<TemplateName>Blank</TemplateName>', '')
    .replace('<DefaultDisplayType>1</DefaultDisplayType>', '<default_display_type>1</default_display_type><IsDisabled>false</IsDisabled><TemplateType>TEMPLATE</TemplateType>');
}

export interface RawEntry {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

/** Builds a tar with arbitrary headers (for hostile packages). */
export async function rawTar(entries: RawEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  pack.pipe(out);
  for (const e of entries) {
    const data = e.data === undefined ? undefined : Buffer.from(e.data);
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, size: data?.byteLength ?? 0 }, data ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())),
    );
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** Collects a writable's output into a buffer. */
export function sink(): { stream: PassThrough; done: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, done: () => Buffer.concat(chunks) };
}

export function streamOf(buf: Buffer): Readable {
  return Readable.from([buf]);
}
