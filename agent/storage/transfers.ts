// Image bytes between a host and the engine: plain HTTP, the agent always the client (it already
// knows where the engine is), one request per file, streamed from and to disk (backpressure keeps
// memory bounded). The path names a one-time ticket the engine issued for this file alone.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The engine's URL for a transfer path (the agent's engine URL may be ws:// or http://, with any path). */
export function transferUrl(engineUrl: string, transferPath: string): URL {
  return new URL(transferPath, engineUrl.replace(/^ws/, 'http'));
}

function request(url: URL, method: 'GET' | 'PUT', headers: Record<string, string | number>) {
  return (url.protocol === 'https:' ? https : http).request(url, { method, headers });
}

async function failure(res: IncomingMessage): Promise<Error> {
  let text = '';
  for await (const chunk of res) {
    if (text.length < 500) text += String(chunk);
  }
  return new Error(`the engine answered ${res.statusCode} to the transfer: ${text.trim().slice(0, 300)}`);
}

/** PUTs a file to the engine. */
export async function sendFile(url: URL, file: string): Promise<void> {
  const { size } = await stat(file);
  const req = request(url, 'PUT', { 'content-type': 'application/octet-stream', 'content-length': size });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  await pipeline(createReadStream(file), req);
  const res = await answered;
  if (res.statusCode !== 200) throw await failure(res);
  res.resume();
}

/** The engine's 200 answer to a GET (anything else is an error with its text). */
async function get(url: URL): Promise<IncomingMessage> {
  const req = request(url, 'GET', {});
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  if (res.statusCode !== 200) throw await failure(res);
  return res;
}

/** GETs a file from the engine into `file` (created); it must be exactly `sizeBytes` long. */
export async function receiveFile(url: URL, file: string, sizeBytes: number): Promise<void> {
  const res = await get(url);
  await pipeline(res, createWriteStream(file, { flags: 'wx' }));
  const got = (await stat(file)).size;
  if (got !== sizeBytes) throw new Error(`the transfer brought ${got} bytes, not ${sizeBytes}`);
}

/**
 * GETs a stream of unknown length from the engine into `file` (created), held to `maxBytes`:
 * 'tooLarge' when more came (the transfer is cut there; the caller removes the file).
 */
export async function receiveUpTo(url: URL, file: string, maxBytes: number): Promise<'done' | 'tooLarge'> {
  const res = await get(url);
  let received = 0;
  let over = false;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received <= maxBytes) return done(null, chunk);
      over = true;
      done(new Error(`more than ${maxBytes} bytes`));
    },
  });
  try {
    await pipeline(res, cap, createWriteStream(file, { flags: 'wx' }));
  } catch (e) {
    if (over) return 'tooLarge';
    throw e;
  }
  return 'done';
}
