// qemu-img on the host, run with execFile (never a shell), argument arrays and timeouts: whether it is
// installed, `info --output=json`, `create`, `resize` and `convert`.
import { execFile } from 'node:child_process';
import type { ImageFormat } from '../../protocol/storage.ts';

export interface ImageInfo {
  format: string;
  virtualSizeBytes: bigint;
  /** Space the file takes on its file system. */
  actualSizeBytes: bigint;
  /** A backing file, a qcow2 external data file or VMDK extents in other files: anything outside the image itself. */
  externalFiles: string[];
}

/** Output of a finished qemu-img run; rejects with stderr's text on failure or timeout. */
function run(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('qemu-img', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`qemu-img ${args[0]} failed: ${(stderr || err.message).trim().slice(0, 500)}`));
      else resolve(stdout);
    });
  });
}

let installed: Promise<boolean> | null = null;

/** Whether qemu-img can be run (checked once per process). */
export function qemuImgInstalled(): Promise<boolean> {
  installed ??= run(['--version'], 10_000).then(
    () => true,
    () => false,
  );
  return installed;
}

/**
 * `qemu-img info` of a file. With `format` the file is opened as that format; without it qemu-img
 * probes (only for files from outside, which the engine then judges).
 */
export async function imageInfo(file: string, format?: ImageFormat): Promise<ImageInfo> {
  const out = JSON.parse(await run(['info', '--output=json', ...(format ? ['-f', format] : []), file], 60_000)) as {
    format: string;
    'virtual-size': number;
    'actual-size'?: number;
    'backing-filename'?: string;
    filename: string;
    'format-specific'?: { type: string; data?: { 'data-file'?: string; extents?: { filename: string }[] } };
  };
  const external: string[] = [];
  if (out['backing-filename']) external.push(out['backing-filename']);
  const spec = out['format-specific']?.data;
  if (spec?.['data-file']) external.push(spec['data-file']);
  for (const e of spec?.extents ?? []) if (e.filename !== out.filename && e.filename !== file) external.push(e.filename);
  return {
    format: out.format,
    virtualSizeBytes: BigInt(out['virtual-size']),
    actualSizeBytes: BigInt(out['actual-size'] ?? 0),
    externalFiles: external,
  };
}

/**
 * The virtual size and backing file (its name as the header has it, and its format) of an image a
 * running VM may hold open (`-U`: read without its lock), opened as `format`.
 */
export async function headerInfo(
  file: string,
  format: 'qcow2' | 'raw',
): Promise<{ virtualSizeBytes: bigint; backing: { name: string; format: 'qcow2' | 'raw' } | null }> {
  const out = JSON.parse(await run(['info', '-U', '--output=json', '-f', format, file], 60_000)) as {
    'virtual-size': number;
    'backing-filename'?: string;
    'backing-filename-format'?: string;
  };
  const name = out['backing-filename'];
  const backingFormat = out['backing-filename-format'];
  if (name && backingFormat !== 'qcow2' && backingFormat !== 'raw') throw new Error(`${file} has a backing file of no known format`);
  return { virtualSizeBytes: BigInt(out['virtual-size']), backing: name ? { name, format: backingFormat as 'qcow2' | 'raw' } : null };
}

/** Creates an empty image: qcow2 (compat 1.1) or a sparse raw file. */
export async function createImageFile(file: string, format: 'qcow2' | 'raw', sizeBytes: bigint): Promise<void> {
  await run(['create', '-q', '-f', format, ...(format === 'qcow2' ? ['-o', 'compat=1.1'] : []), file, String(sizeBytes)], 60_000);
}

/** Grows an image's virtual size. */
export async function resizeImageFile(file: string, format: 'qcow2' | 'raw', sizeBytes: bigint): Promise<void> {
  await run(['resize', '-q', '-f', format, file, String(sizeBytes)], 60_000);
}

/** Converts `src` (opened as `srcFormat`, never probed) into a new `dst`: qcow2 compat 1.1 or raw; zeros stay unallocated. */
export async function convertImage(
  src: string,
  srcFormat: ImageFormat,
  dst: string,
  dstFormat: 'qcow2' | 'raw',
  timeoutMs = 6 * 3600_000,
): Promise<void> {
  await run(
    ['convert', '-q', '-f', srcFormat, '-O', dstFormat, ...(dstFormat === 'qcow2' ? ['-o', 'compat=1.1'] : []), src, dst],
    timeoutMs,
  );
}

/** A new qcow2 (compat 1.1) on `backing` (a path relative to the new file's folder, or absolute), as large as `sizeBytes`. */
export async function createOverlay(file: string, backing: string, backingFormat: 'qcow2' | 'raw', sizeBytes: bigint): Promise<void> {
  await run(['create', '-q', '-f', 'qcow2', '-o', 'compat=1.1', '-b', backing, '-F', backingFormat, file, String(sizeBytes)], 60_000);
}

/** Writes a qcow2 overlay's data into its backing file (`-d`: the overlay is left as it was; the caller removes it). */
export async function commitImage(file: string, timeoutMs = 6 * 3600_000): Promise<void> {
  await run(['commit', '-q', '-d', '-f', 'qcow2', file], timeoutMs);
}
