// What the stats history fields share (server/history/statsHistory.ts buckets the stored samples):
// their `minutes` argument and the description of their points.
import { z } from 'zod';
import { MAX_MINUTES, MAX_POINTS } from '../../server/history/statsHistory.ts';

/** The `minutes` argument of every stats history field. */
export const minutesArg = {
  required: true,
  defaultValue: 60,
  description: `How far back, in minutes (1 to ${MAX_MINUTES}).`,
  validate: z.number().int().min(1, 'minutes is at least 1').max(MAX_MINUTES, `minutes is at most ${MAX_MINUTES}`),
} as const;

export const historyDescription = `Oldest first, at most ${MAX_POINTS} points, each the mean of the samples in one time bucket (wider for longer windows).`;
export const newest = 'Time of the newest sample in the bucket.';
