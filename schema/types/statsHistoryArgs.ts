// What the stats history fields share (server/history/statsHistory.ts): their arguments (a
// window and a resolution, resolved by server/history/statsWindow.ts) and the description of their points.
import { z } from 'zod';
import { builder } from '../builder.ts';
import { MAX_MINUTES, MAX_POINTS } from '../../server/history/statsHistory.ts';
import { statsWindow, type StatsHistoryArgs, type StatsWindow } from '../../server/history/statsWindow.ts';
import type { Context } from '../context.ts';

export const StatsResolution = builder.enumType('StatsResolution', {
  description: 'Which stored level a stats history reads.',
  values: {
    AUTO: { description: 'Samples for up to a day, hours for up to 31 days, days beyond.' },
    SAMPLE: { description: `The raw samples (kept a day), in at most ${MAX_POINTS} buckets; windows of up to a day.` },
    HOURLY: { description: 'One point per hour (UTC); windows of up to 92 days.' },
    DAILY: { description: 'One point per day (UTC); windows of up to 10 years.' },
  } as const,
});

/** The arguments of every stats history field. */
export const historyArgs = builder.args((t) => ({
  minutes: t.int({
    description: `How far back from now, in minutes (1 to ${MAX_MINUTES}); 60 when neither minutes nor from is given. Not with from/to.`,
    validate: z.number().int().min(1, 'minutes is at least 1').max(MAX_MINUTES, `minutes is at most ${MAX_MINUTES}`),
  }),
  from: t.field({ type: 'DateTime', description: 'Start of the window (instead of minutes).' }),
  to: t.field({ type: 'DateTime', description: 'End of the window; now by default.' }),
  resolution: t.field({ type: StatsResolution, defaultValue: 'AUTO' }),
}));

/** The window of a stats history field's arguments, by the engine's clock (BAD_INPUT when it makes no sense). */
export const windowOf = (args: StatsHistoryArgs, ctx: Context): StatsWindow => statsWindow(args, ctx.engine.now());

export const historyDescription = `Oldest first; each point the mean, max and min of the stored samples in one period (a bucket of at most ${MAX_POINTS} in a window of samples, an hour, a day).`;
export const newest = 'Time of the newest sample in the period.';
export const periodStart = 'Start of the period: the bucket, hour or day (UTC).';
