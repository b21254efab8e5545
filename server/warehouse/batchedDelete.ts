// Deleting many old rows without long statements: a batch at a time (each short, so reports never
// wait long behind it), at most a bounded number of batches per pass; the next pass goes on.

export const DELETE_BATCH = 10_000;
/** The most batches one pass deletes; the next pass goes on. */
const MAX_BATCHES = 50;

/** Runs `deleteBatch(limit)` until it deletes fewer than `limit` rows or the pass's bound is reached; returns how many. */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await deleteBatch(DELETE_BATCH);
    total += n;
    if (n < DELETE_BATCH) break;
  }
  return total;
}
