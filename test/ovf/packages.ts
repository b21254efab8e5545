// Packages and streams the OVF/OVA tests build: tars with arbitrary headers, buffers as streams.
import { PassThrough, Readable } from 'node:stream';
import tar from 'tar-stream';

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
      pack.entry(
        { name: e.name, type: e.type ?? 'file', linkname: e.linkname, size: data?.byteLength ?? 0 },
        data ?? Buffer.alloc(0),
        (err) => (err ? reject(err) : resolve()),
      ),
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
