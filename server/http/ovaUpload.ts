// GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec) parsed
// as a stream: each file goes straight to the engine's temporary area, held to VIREO_MAX_OVA_BYTES
// (bytes past the limit are drained, not kept), so an OVA never sits in memory and Yoga's
// request-body limit (meant for JSON) does not apply to it. The request handed on to Yoga is the
// JSON operation, each file replaced by `{ vireoUpload: <token> }`, which the File scalar resolves.
// The files are removed when the response is made.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { chunksOf } from './webStreamChunks.ts';
import { Busboy } from '@fastify/busboy';
import { loadConfig } from '../config.ts';
import { tempDir } from '../storage/tempArea.ts';
import { registerUpload, releaseUploads, type Upload } from '../storage/uploads.ts';

const FIELD_LIMIT = 1024 * 1024;
/** What a multipart request may hold besides its files: the operations and map fields, and part headers. */
export const MULTIPART_OVERHEAD = 2 * FIELD_LIMIT + 64 * 1024;

/** What a parsed request leaves to clean up. */
export interface ReceivedUploads {
  tokens: string[];
  dir: string;
}

export class UploadError extends Error {}

/** Sets `value` at a dotted path (`variables.input.ova`) inside `target`. */
function setPath(target: unknown, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, k))
      throw new UploadError(`map path ${dotted} is not in operations`);
    node = node[k] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (node === null || typeof node !== 'object' || ['__proto__', 'constructor', 'prototype'].includes(last))
    throw new UploadError(`map path ${dotted} is not in operations`);
  node[last] = value;
}

/**
 * Reads a multipart GraphQL request: `operations` and `map` fields, then the files, each written to
 * a temporary directory. Returns the JSON body for Yoga and what to clean up; throws UploadError
 * for a request that does not follow the spec.
 */
export async function receiveMultipart(request: Request): Promise<{ body: string; received: ReceivedUploads }> {
  const limit = loadConfig().VIREO_MAX_OVA_BYTES;
  const dir = await tempDir('import');
  const received: ReceivedUploads = { tokens: [], dir };
  const fields = new Map<string, string>();
  const files = new Map<string, string>();
  const writes: Promise<void>[] = [];
  try {
    const busboy = new Busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { fields: 2, fieldSize: FIELD_LIMIT, files: 4, parts: 6, fileSize: limit },
    });
    const parsed = new Promise<void>((resolve, reject) => {
      busboy.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
        if (valueTruncated) reject(new UploadError(`field ${name} is larger than ${FIELD_LIMIT} bytes`));
        fields.set(name, value);
      });
      busboy.on('file', (name: string, stream: Readable, fileName: string) => {
        if (!fields.has('map')) {
          reject(new UploadError('operations and map must come before the files'));
          stream.resume();
          return;
        }
        const file = path.join(dir, String(files.size));
        const upload: Upload = { fileName, path: file, sizeBytes: 0, limitBytes: limit, tooLarge: false };
        files.set(name, registerUpload(upload));
        received.tokens.push(files.get(name)!);
        stream.on('data', (chunk: Buffer) => {
          upload.sizeBytes += chunk.length;
        });
        stream.on('limit', () => {
          upload.tooLarge = true;
        });
        const out: Writable = createWriteStream(file, { flags: 'wx' });
        stream.pipe(out);
        writes.push(
          finished(out).then(async () => {
            if (upload.tooLarge) {
              await rm(file, { force: true });
              upload.path = null;
            }
          }),
        );
      });
      busboy.on('finish', resolve);
      busboy.on('error', reject);
      busboy.on('partsLimit', () => reject(new UploadError('too many parts')));
      busboy.on('filesLimit', () => reject(new UploadError('too many files')));
      busboy.on('fieldsLimit', () => reject(new UploadError('only operations and map may be fields')));
    });
    if (!request.body) throw new UploadError('the request has no body');
    Readable.from(chunksOf(request.body as unknown as WebReadableStream<Uint8Array>))
      .on('error', (e) => busboy.destroy(e))
      .pipe(busboy);
    await parsed;
    await Promise.all(writes);
    let operations: unknown;
    let map: Record<string, unknown>;
    try {
      operations = JSON.parse(fields.get('operations') ?? '');
      map = JSON.parse(fields.get('map') ?? '') as Record<string, unknown>;
    } catch {
      throw new UploadError('operations and map must be JSON');
    }
    for (const [name, paths] of Object.entries(map)) {
      const token = files.get(name);
      if (!token || !Array.isArray(paths)) throw new UploadError(`map names file ${name}, which the request does not hold`);
      for (const p of paths) setPath(operations, String(p), { vireoUpload: token });
    }
    return { body: JSON.stringify(operations), received };
  } catch (e) {
    await discard(received);
    throw e instanceof UploadError ? e : new UploadError((e as Error).message);
  }
}

/** Forgets the tokens and removes the files of a request. */
export async function discard(received: ReceivedUploads): Promise<void> {
  releaseUploads(received.tokens);
  await rm(received.dir, { recursive: true, force: true });
}
