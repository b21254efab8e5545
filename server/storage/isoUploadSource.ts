// The bytes of an ISO upload as they arrive (an HTTP request's body), never held whole: the first
// 34 KiB are read ahead so the engine can refuse what is not an ISO 9660 image before any host is
// involved; the rest passes through to the host (a transfer ticket's stream) counted against the
// limit. What it saw tells the upload action how it ended: whole, cut off, or over the limit.
import { Readable } from 'node:stream';
import { ISO9660_HEAD_BYTES, readIso9660Head, type Iso9660Volume } from '../../protocol/iso9660.ts';

export class IsoUploadSource {
  /** Bytes passed on so far (the head included). */
  receivedBytes = 0;
  /** The sender's body ended normally. */
  complete = false;
  /** More than the limit came (the stream to the host was broken there). */
  tooLarge = false;
  /** Why the sender's body broke off, if it did. */
  broken: Error | null = null;
  private readonly chunks: AsyncIterator<Uint8Array>;
  private headBytes: Buffer | null = null;

  constructor(
    body: AsyncIterable<Uint8Array>,
    readonly limitBytes: number,
  ) {
    this.chunks = body[Symbol.asyncIterator]();
  }

  private async next(): Promise<Uint8Array | null> {
    try {
      const r = await this.chunks.next();
      if (r.done) {
        this.complete = true;
        return null;
      }
      return r.value;
    } catch (e) {
      this.broken = e as Error;
      throw e;
    }
  }

  /** Reads the first bytes and says whether they are an ISO 9660 image's (null: not one); throws when the body breaks off. */
  async volume(): Promise<Iso9660Volume | null> {
    const parts: Uint8Array[] = [];
    let length = 0;
    while (length < ISO9660_HEAD_BYTES) {
      const chunk = await this.next();
      if (!chunk) break;
      parts.push(chunk);
      length += chunk.byteLength;
    }
    this.headBytes = Buffer.concat(parts);
    return readIso9660Head(this.headBytes);
  }

  /**
   * Everything, from the first byte, for the host. It ends early (never errors: the host's transfer
   * must end either way) past the limit or when the sender's body breaks off; `tooLarge`, `broken`
   * and `complete` say which, and the upload action judges the host's file by them.
   */
  stream(): Readable {
    const self = this;
    async function* all(): AsyncGenerator<Uint8Array> {
      let chunk: Uint8Array | null = self.headBytes;
      for (;;) {
        if (!chunk) {
          try {
            chunk = await self.next();
          } catch {
            return; // broken: recorded by next()
          }
          if (!chunk) return;
        }
        if (self.receivedBytes + chunk.byteLength > self.limitBytes) {
          self.tooLarge = true;
          return;
        }
        self.receivedBytes += chunk.byteLength;
        yield chunk;
        chunk = null;
      }
    }
    return Readable.from(all(), { objectMode: false });
  }

  /**
   * Reads and drops what is left of the sender's body, up to `maxBytes`, so a refused upload's
   * sender reads the answer on a connection that ends cleanly; says whether the body ended.
   */
  async drain(maxBytes: number): Promise<boolean> {
    let dropped = 0;
    try {
      for (let chunk = await this.next(); chunk; chunk = dropped > maxBytes ? null : await this.next()) dropped += chunk.byteLength;
    } catch {
      // the sender went away: nothing to drain
    }
    return this.complete;
  }

  /** Stops reading the sender's body (the connection is cut). */
  async close(): Promise<void> {
    await this.chunks.return?.(undefined).catch(() => undefined);
  }
}
