// OVA packages: a tar holding the OVF descriptor first, then the disk files, then a SHA256 manifest.
// Reading is defensive: no path traversal, no links or devices, size limits, every referenced file
// present, every digest checked.
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { OvaError } from './errors.ts';
import { attr, child, children } from './dom.ts';
import { formatManifest, parseManifest, type ManifestEntry } from './manifest.ts';
import { readOvf } from './reader.ts';
import { parseXml } from './xml.ts';
import type { OvfVm, OvfWarning } from './types.ts';

/** A file to put in an OVA: its name inside the package, size, and content. */
export interface OvaFileSource {
  name: string;
  sizeBytes: number;
  /** The content: a buffer, or a function opening a stream of exactly sizeBytes bytes. */
  content: Uint8Array | (() => Readable);
}

export interface OvaEntryInfo {
  name: string;
  sizeBytes: number;
  sha256: string;
}

export interface ReadOvaOptions {
  /** Directory to extract the files (not the descriptor/manifest) into; without it they are only checked. */
  extractTo?: string;
  /** Largest descriptor accepted (default 4 MiB). */
  maxOvfBytes?: number;
  /** Largest disk or other file entry accepted (default 4 TiB); manifests and certificates are held to 4 MiB. */
  maxEntryBytes?: number;
  /** Largest sum of all entry sizes accepted (default 16 TiB). */
  maxTotalBytes?: number;
  /** Most entries accepted (default 256). */
  maxEntries?: number;
  /** Refuse a package without a manifest (default false). */
  requireManifest?: boolean;
}

export interface OvaContents {
  ovfName: string;
  ovfXml: string;
  vm: OvfVm;
  /** Every file entry, descriptor included, with its SHA256. */
  entries: OvaEntryInfo[];
  /** The manifest, when the package has one. */
  manifest: Map<string, ManifestEntry> | null;
  /** Paths of extracted files, by entry name (only with extractTo). */
  extracted: Map<string, string>;
  /** About the package itself: no manifest (nothing checked), a signature (not verified). */
  warnings: OvfWarning[];
}

const SMALL_LIMIT = 4 * 1024 * 1024;

/**
 * Checks a tar entry or OVF href is a plain relative path; returns it without a leading `./`.
 * Throws OvaError OVA_UNSAFE_ENTRY for absolute paths, `..`, backslashes, NUL or empty segments.
 */
export function safeEntryName(name: string): string {
  const n = name.startsWith('./') ? name.slice(2) : name;
  const bad = (why: string) => new OvaError('OVA_UNSAFE_ENTRY', `Refused entry "${name}": ${why}.`, name);
  if (n === '' || n.length > 1024) throw bad('empty or too long name');
  if (n.includes('\0') || n.includes('\\')) throw bad('NUL or backslash in name');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) throw bad('absolute path');
  const parts = n.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '..')) throw bad('path traversal');
  if (parts.some((p) => p === '' || p === '.')) throw bad('empty path segment');
  return n;
}

/**
 * Writes an OVA to `out`: the descriptor (`<name>.ovf`) first, then `files` in order, then the
 * manifest `<name>.mf` with SHA256 digests of all of them. Resolves with the manifest text.
 */
export async function writeOva(out: Writable, ovf: { name: string; xml: string }, files: OvaFileSource[]): Promise<string> {
  const base = safeEntryName(ovf.name).replace(/\.ovf$/i, '');
  if (base.includes('/'))
    throw new OvaError('OVA_UNSAFE_ENTRY', `The descriptor must be at the top of the package, not "${ovf.name}".`, ovf.name);
  const names = new Set([`${base}.ovf`, `${base}.mf`]);
  for (const f of files) {
    if (names.has(safeEntryName(f.name))) throw new OvaError('OVA_UNSAFE_ENTRY', `Entry "${f.name}" is given twice.`, f.name);
    names.add(f.name);
  }
  const pack = tar.pack();
  const done = pipeline(pack, out);
  const digests: { name: string; sha256: string }[] = [];
  const mtime = new Date();
  const addBuffer = async (name: string, data: Uint8Array) => {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name, size: data.byteLength, mode: 0o644, mtime }, Buffer.from(data), (e) => (e ? reject(e) : resolve())),
    );
    digests.push({ name, sha256: createHash('sha256').update(data).digest('hex') });
  };
  try {
    await addBuffer(`${base}.ovf`, Buffer.from(ovf.xml, 'utf8'));
    for (const f of files) {
      if (f.content instanceof Uint8Array) {
        if (f.content.byteLength !== f.sizeBytes)
          throw new OvaError('OVA_INVALID', `File ${f.name} is ${f.content.byteLength} bytes, not ${f.sizeBytes}.`, f.name);
        await addBuffer(f.name, f.content);
        continue;
      }
      const hash = createHash('sha256');
      const entry = pack.entry({ name: f.name, size: f.sizeBytes, mode: 0o644, mtime });
      const source = f.content();
      source.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(source, entry);
      digests.push({ name: f.name, sha256: hash.digest('hex') });
    }
    const manifest = formatManifest(digests);
    await addBuffer(`${base}.mf`, Buffer.from(manifest, 'utf8'));
    pack.finalize();
    await done;
    return manifest;
  } catch (e) {
    pack.destroy(e as Error);
    await done.catch(() => undefined);
    throw e instanceof OvaError ? e : new OvaError('OVA_INVALID', `Cannot write the OVA: ${(e as Error).message}`);
  }
}

/** The hrefs of References/File that must be inside the package (not LUNs, not URLs). */
function referencedFiles(xml: string): string[] {
  const references = child(parseXml(xml), 'References');
  if (!references) return [];
  return children(references, 'File')
    .filter((f) => attr(f, 'disk_storage_type') !== 'LUN')
    .map((f) => attr(f, 'href') ?? '')
    .filter((href) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(href));
}

async function readSmall(entry: Readable, hashes: Hash[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) {
    for (const h of hashes) h.update(chunk as Buffer);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads an OVA from `source`, checking as it goes, and extracting the files when `extractTo` is
 * given. Throws OvaError (OVA_UNSAFE_ENTRY, OVA_TOO_LARGE, OVA_MISSING_FILE, OVA_CHECKSUM_MISMATCH,
 * OVA_INVALID) or the OVF reader's errors for a bad descriptor; extracted files are removed on failure.
 */
export async function readOva(source: Readable, options: ReadOvaOptions = {}): Promise<OvaContents> {
  const maxOvf = options.maxOvfBytes ?? SMALL_LIMIT;
  const maxEntry = options.maxEntryBytes ?? 4 * 1024 ** 4;
  const maxEntries = options.maxEntries ?? 256;
  const maxTotal = options.maxTotalBytes ?? 16 * 1024 ** 4;
  let total = 0;
  const extract = tar.extract();
  const extracted = new Map<string, string>();
  const entries: OvaEntryInfo[] = [];
  const sha1 = new Map<string, string>();
  let ovf: { name: string; xml: string } | null = null;
  let manifest: Map<string, ManifestEntry> | null = null;
  let count = 0;
  source.on('error', (e) => extract.destroy(e));
  source.pipe(extract);
  try {
    try {
      for await (const tarEntry of extract) {
        const h = tarEntry.header;
        const entry = tarEntry as unknown as Readable; // a streamx Readable, compatible with Node's
        if (++count > maxEntries) throw new OvaError('OVA_TOO_LARGE', `The package has more than ${maxEntries} entries.`);
        const name = safeEntryName(h.name);
        if (h.type === 'directory') {
          entry.resume();
          continue;
        }
        if (h.type !== 'file' && h.type !== 'contiguous-file')
          throw new OvaError('OVA_UNSAFE_ENTRY', `Refused entry "${name}": a ${h.type} entry is not allowed.`, name);
        if (entries.some((e) => e.name === name))
          throw new OvaError('OVA_UNSAFE_ENTRY', `Refused entry "${name}": it appears twice.`, name);
        const size = h.size ?? 0;
        const isOvf = /\.ovf$/i.test(name) && ovf === null;
        if (entries.length === 0 && !isOvf)
          throw new OvaError('OVA_INVALID', `The first entry must be the OVF descriptor, not "${name}".`, name);
        const small = isOvf || /\.(mf|cert)$/i.test(name);
        const limit = isOvf ? maxOvf : small ? SMALL_LIMIT : maxEntry;
        if (size > limit) throw new OvaError('OVA_TOO_LARGE', `Entry "${name}" is ${size} bytes, more than the limit of ${limit}.`, name);
        total += size;
        if (total > maxTotal) throw new OvaError('OVA_TOO_LARGE', `The package holds more than ${maxTotal} bytes.`, name);
        const h256 = createHash('sha256');
        const h1 = createHash('sha1');
        if (small) {
          const data = await readSmall(entry, [h256, h1]);
          if (isOvf) ovf = { name, xml: data.toString('utf8') };
          else if (/\.mf$/i.test(name)) {
            if (manifest) throw new OvaError('OVA_INVALID', 'The package has more than one manifest.', name);
            manifest = parseManifest(data.toString('utf8'), name);
          }
        } else if (options.extractTo) {
          const target = path.join(options.extractTo, name);
          await mkdir(path.dirname(target), { recursive: true });
          const file = await open(target, 'wx');
          extracted.set(name, target);
          // Iterated, not piped: Node's pipeline() does not see a tar-stream (streamx) entry destroyed
          // by a package that ends inside it, and would wait for it for ever.
          try {
            for await (const chunk of entry) {
              h256.update(chunk as Buffer);
              h1.update(chunk as Buffer);
              await file.write(chunk as Buffer);
            }
          } finally {
            await file.close();
          }
        } else {
          for await (const chunk of entry) {
            h256.update(chunk as Buffer);
            h1.update(chunk as Buffer);
          }
        }
        entries.push({ name, sizeBytes: size, sha256: h256.digest('hex') });
        sha1.set(name, h1.digest('hex'));
      }
    } catch (e) {
      if (e instanceof OvaError || (e as { code?: string }).code?.startsWith('OVF_')) throw e;
      // The archive ended early: in a header the extractor says so; inside a file, that file's stream is destroyed.
      if (/unexpected end/i.test((e as Error).message) || (e as { code?: string }).code === 'STREAM_DESTROYED')
        throw new OvaError('OVA_INVALID', 'The package is truncated: it ends inside a file or a header.');
      throw new OvaError(
        'OVA_INVALID',
        `Cannot read the package (not a tar archive, or a file cannot be written): ${(e as Error).message}`,
      );
    }
    if (!ovf) throw new OvaError('OVA_INVALID', 'The package holds no OVF descriptor.');
    const { name: ovfName, xml: ovfXml } = ovf;
    const vm = readOvf(ovfXml, { maxBytes: maxOvf });
    const names = new Set(entries.map((e) => e.name));
    for (const href of referencedFiles(ovfXml)) {
      if (!names.has(safeEntryName(href)))
        throw new OvaError('OVA_MISSING_FILE', `The descriptor references "${href}", which is not in the package.`, href);
    }
    if (!manifest && options.requireManifest) throw new OvaError('OVA_INVALID', 'The package has no manifest.');
    if (manifest) verifyManifest(manifest, entries, sha1);
    return { ovfName, ovfXml, vm, entries, manifest, extracted, warnings: packageWarnings(manifest !== null, entries) };
  } catch (e) {
    source.unpipe(extract);
    source.destroy();
    extract.destroy();
    await Promise.all([...extracted.values()].map((p) => unlink(p).catch(() => undefined)));
    throw e;
  }
}

function packageWarnings(hasManifest: boolean, entries: OvaEntryInfo[]): OvfWarning[] {
  const warnings: OvfWarning[] = [];
  if (!hasManifest)
    warnings.push({
      code: 'OVA_NO_MANIFEST',
      message: 'The package has no manifest (.mf): the checksums of its files could not be checked.',
    });
  for (const e of entries.filter((x) => /\.cert$/i.test(x.name))) {
    warnings.push({
      code: 'OVA_SIGNATURE_NOT_CHECKED',
      message: `The package is signed (${e.name}); Vireo does not verify signatures, so who made it is not checked.`,
    });
  }
  return warnings;
}

function verifyManifest(manifest: Map<string, ManifestEntry>, entries: OvaEntryInfo[], sha1: Map<string, string>): void {
  for (const [name, expected] of manifest) {
    const entry = entries.find((e) => e.name === name);
    if (!entry) throw new OvaError('OVA_MISSING_FILE', `The manifest lists "${name}", which is not in the package.`, name);
    const actual = expected.algorithm === 'SHA256' ? entry.sha256 : sha1.get(name);
    if (actual !== expected.digest)
      throw new OvaError(
        'OVA_CHECKSUM_MISMATCH',
        `${expected.algorithm} of "${name}" is ${actual}, the manifest says ${expected.digest}.`,
        name,
      );
  }
  for (const e of entries) {
    if (!/\.(mf|cert)$/i.test(e.name) && !manifest.has(e.name)) {
      throw new OvaError('OVA_CHECKSUM_MISMATCH', `"${e.name}" is not covered by the manifest.`, e.name);
    }
  }
}
