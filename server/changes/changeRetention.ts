// The change feed's retention: rows older than the retention are deleted in bounded batches by the
// warehouse's pass, and the last position deleted is kept (ChangeHorizon). A client resuming from
// a cursor before it may have missed changes, so it is told so (CHANGES_CURSOR_EXPIRED: read the
// state again, then follow the feed from its head) instead of getting a feed with a hole in it.
import type { Db } from '../db.ts';
import { VireoError } from '../errors.ts';
import { deleteInBatches } from '../warehouse/batchedDelete.ts';
import { after, formatCursor, type ChangeCursor } from './changeCursor.ts';

export class ChangesExpiredError extends VireoError {
  readonly code = 'CHANGES_CURSOR_EXPIRED';
  constructor(cursor: ChangeCursor, horizon: ChangeCursor) {
    super(
      `The change feed no longer holds what came after ${formatCursor(cursor)} (changes up to ${formatCursor(horizon)} were pruned): read the current state again, then follow the feed from there.`,
    );
    this.name = 'ChangesExpiredError';
  }
}

/** Deletes the changes older than `before`, moving the horizon past each batch in the batch's transaction; returns how many. */
export function pruneChanges(db: Db, before: Date): Promise<number> {
  return deleteInBatches((limit) =>
    db.$transaction(async (tx) => {
      const gone = await tx.$queryRaw<{ xid: bigint; seq: bigint }[]>`
        DELETE FROM "Change" WHERE "seq" = ANY(ARRAY(
          SELECT "seq" FROM "Change" WHERE "at" < ${before.toISOString()}::timestamptz ORDER BY "xid", "seq" LIMIT ${limit}))
        RETURNING "xid", "seq"`;
      if (!gone.length) return 0;
      const last = gone.map((r) => ({ xid: BigInt(r.xid), seq: BigInt(r.seq) })).reduce((a, b) => (after(b, a) ? b : a));
      // The horizon only moves forward: one statement keeps the later of the two positions.
      await tx.$executeRaw`
        INSERT INTO "ChangeHorizon" ("id", "xid", "seq", "prunedAt") VALUES (1, ${last.xid}, ${last.seq}, now())
        ON CONFLICT ("id") DO UPDATE SET "xid" = EXCLUDED."xid", "seq" = EXCLUDED."seq", "prunedAt" = EXCLUDED."prunedAt"
        WHERE ("ChangeHorizon"."xid", "ChangeHorizon"."seq") < (EXCLUDED."xid", EXCLUDED."seq")`;
      return gone.length;
    }),
  );
}

/** Refuses a cursor some of whose following changes were pruned. */
export async function assertChangesKept(db: Db, cursor: ChangeCursor): Promise<void> {
  const h = await db.changeHorizon.findUnique({ where: { id: 1 } });
  if (h && after({ xid: h.xid, seq: h.seq }, cursor)) throw new ChangesExpiredError(cursor, { xid: h.xid, seq: h.seq });
}
