// Files received by a multipart request, streamed to the engine's temporary area while the
// request is parsed (server/http/ovaUpload.ts), and handed to the GraphQL File scalar by token.
// A token is valid only while its own request runs.
import { randomUUID } from 'node:crypto';

export interface Upload {
  fileName: string;
  /** Where the bytes are (absent when the file was over the limit and not kept). */
  path: string | null;
  /** Bytes received (when over the limit: how far it got before it was cut). */
  sizeBytes: number;
  /** The limit the file was held to, and whether it went over it. */
  limitBytes: number;
  tooLarge: boolean;
}

const uploads = new Map<string, Upload>();

export function registerUpload(upload: Upload): string {
  const token = randomUUID();
  uploads.set(token, upload);
  return token;
}

/** The upload a token names, or undefined for an unknown (or finished) one. */
export function uploadOf(token: unknown): Upload | undefined {
  return typeof token === 'string' ? uploads.get(token) : undefined;
}

export function releaseUploads(tokens: string[]): void {
  for (const t of tokens) uploads.delete(t);
}
