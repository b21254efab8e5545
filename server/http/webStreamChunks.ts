// A request body (a web ReadableStream) as Node chunks, for Readable.from().
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** The chunks of a web stream (Readable.fromWeb refuses the fetch ponyfill's streams). */
export async function* chunksOf(stream: WebReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
