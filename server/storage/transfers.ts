// One-time tickets for image bytes between the engine and a host's agent (oVirt's ImageIO
// tickets): the engine names a file a host may GET (an OVA's image on import), a stream a host may
// GET (an ISO image as it is uploaded), or a stream a host may PUT into (a disk on export,
// straight into the OVA being downloaded). A ticket is random,
// used once, and expires unused; the route is server/http/transfers.ts. Tickets live in this
// engine process: the agent sends to the engine URL it was started with.
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

export type Transfer =
  | { kind: 'download'; file: string; sizeBytes: number }
  | { kind: 'stream'; source: Readable }
  | { kind: 'upload'; sink: Writable };

const tickets = new Map<string, Transfer>();

/** How long a ticket stays valid unused: the host starts its request as soon as it has the command. */
const TTL_MS = 10 * 60_000;

export interface Ticket {
  /** The path on the engine's HTTP endpoint the agent is told to use. */
  path: string;
  /** Forgets the ticket if it was not used (the host failed first). */
  revoke(): void;
}

function issue(transfer: Transfer): Ticket {
  const token = randomBytes(32).toString('base64url');
  tickets.set(token, transfer);
  const timer = setTimeout(() => tickets.delete(token), TTL_MS);
  timer.unref();
  return {
    path: `/transfers/${token}`,
    revoke: () => {
      clearTimeout(timer);
      tickets.delete(token);
    },
  };
}

/** A ticket to GET `file` (exactly sizeBytes long). */
export function offerFile(file: string, sizeBytes: number): Ticket {
  return issue({ kind: 'download', file, sizeBytes });
}

/** A ticket to GET what `source` gives, of a length not known beforehand (sent chunked). */
export function offerStream(source: Readable): Ticket {
  return issue({ kind: 'stream', source });
}

/** A ticket to PUT bytes into `sink` (ended when the request's body ends). */
export function awaitUpload(sink: Writable): Ticket {
  return issue({ kind: 'upload', sink });
}

/** The transfer a ticket names, once: the ticket is spent. */
export function takeTransfer(token: string): Transfer | undefined {
  const t = tickets.get(token);
  tickets.delete(token);
  return t;
}
