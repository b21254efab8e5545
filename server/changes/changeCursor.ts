// A position in the change feed: the writing transaction's id and the row's sequence number,
// written `<xid>-<seq>` (opaque to clients; what `Change.cursor` gives and `after` takes).
import { InputError } from '../errors.ts';

export interface ChangeCursor {
  xid: bigint;
  seq: bigint;
}

/** Before every change. */
export const FEED_START: ChangeCursor = { xid: 0n, seq: 0n };

export function formatCursor(c: ChangeCursor): string {
  return `${c.xid}-${c.seq}`;
}

/** Reads a cursor a client sent; a malformed one is BAD_INPUT. */
export function parseCursor(text: string, field = 'after'): ChangeCursor {
  const m = /^(\d{1,19})-(\d{1,19})$/.exec(text);
  if (!m) throw new InputError([{ path: field, message: 'not a change feed cursor (one that Change.cursor gave)' }]);
  return { xid: BigInt(m[1]!), seq: BigInt(m[2]!) };
}

export function after(a: ChangeCursor, b: ChangeCursor): boolean {
  return a.xid > b.xid || (a.xid === b.xid && a.seq > b.seq);
}
