// Image bytes between a host and the engine: plain HTTP, the agent always the client (it already
// knows where the engine is), one request per file, streamed from and to disk (backpressure keeps
// memory bounded). The path names a one-time ticket the engine issued for this file alone.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
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

/** GETs a file from the engine into `file` (created); it must be exactly `sizeBytes` long. */
export async function receiveFile(url: URL, file: string, sizeBytes: number): Promise<void> {
  const req = request(url, 'GET', {});
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  if (res.statusCode !== 200) throw await failure(res);
  await pipeline(res, createWriteStream(file, { flags: 'wx' }));
  const got = (await stat(file)).size;
  if (got !== sizeBytes) throw new Error(`the transfer brought ${got} bytes, not ${sizeBytes}`);
}
