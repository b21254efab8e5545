// GET|PUT /transfers/<ticket>: image bytes between a host's agent and the engine (the tickets of
// server/storage/transfers.ts). GET streams a file the engine holds (an unpacked OVA image) or a
// stream passing through it (an ISO image being uploaded; a broken upload breaks this response); PUT
// streams the request body into the waiting sink (a disk going into an OVA download). The ticket
// is the only credential and is spent by the first request; unknown tickets get 404.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { takeTransfer } from '../storage/transfers.ts';
import { chunksOf } from './webStreamChunks.ts';

const ROUTE = /^\/transfers\/([A-Za-z0-9_-]{32,})$/;

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** The response for /transfers/… requests; null for any other path. */
export async function handleTransferRequest(request: Request): Promise<Response | null> {
  const m = ROUTE.exec(new URL(request.url).pathname);
  if (!m) return null;
  if (request.method !== 'GET' && request.method !== 'PUT') return text(405, 'Transfers are GET or PUT.');
  const transfer = takeTransfer(m[1]!);
  const wanted = request.method === 'GET' ? ['download', 'stream'] : ['upload'];
  if (!transfer || !wanted.includes(transfer.kind)) return text(404, 'No such transfer (tickets are used once and expire).');
  if (transfer.kind === 'stream') {
    return new Response(Readable.toWeb(transfer.source) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
    });
  }
  if (transfer.kind === 'download') {
    const body = Readable.toWeb(createReadStream(transfer.file)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(transfer.sizeBytes) },
    });
  }
  if (!request.body) {
    transfer.sink.destroy(new Error('the host sent no body'));
    return text(400, 'No body.');
  }
  try {
    await pipeline(Readable.from(chunksOf(request.body as unknown as WebReadableStream<Uint8Array>)), transfer.sink);
  } catch (e) {
    return text(500, `The transfer broke: ${(e as Error).message}`);
  }
  return text(200, 'ok');
}
