// Which stored level answers a stats history request: the window (`minutes` back from now, or
// `from`–`to`) and the resolution asked for, AUTO picking the level from the window's length.
import { InputError } from '../errors.ts';

export type Resolution = 'AUTO' | 'SAMPLE' | 'HOURLY' | 'DAILY';
export type Level = Exclude<Resolution, 'AUTO'>;

/** The longest window of raw samples (bucketed into at most MAX_POINTS points), in minutes: a day. */
export const MAX_MINUTES = 1440;
const DAY = 86_400_000;
/** The longest window each level answers (samples: a day; hours: 92 days; days: 10 years). */
export const MAX_SPAN: Record<Level, number> = { SAMPLE: MAX_MINUTES * 60_000, HOURLY: 92 * DAY, DAILY: 3660 * DAY };
/** AUTO: raw samples up to a day, hours up to 31 days, days beyond. */
const AUTO_HOURLY_UP_TO = 31 * DAY;

export interface StatsWindow {
  from: Date;
  to: Date;
  level: Level;
}

export interface StatsHistoryArgs {
  minutes?: number | null;
  from?: Date | null;
  to?: Date | null;
  resolution?: Resolution | null;
}

/** The window asked for, or an InputError saying what is wrong with it. */
export function statsWindow(args: StatsHistoryArgs, now: Date): StatsWindow {
  const bad = (path: string, message: string) => new InputError([{ path, message }]);
  if (args.minutes != null && (args.from != null || args.to != null)) throw bad('minutes', 'give either minutes or from and to, not both');
  if (args.from == null && args.to != null) throw bad('from', 'is required with to');
  const to = args.to ?? now;
  const from = args.from ?? new Date(now.getTime() - (args.minutes ?? 60) * 60_000);
  const span = to.getTime() - from.getTime();
  if (!(span > 0)) throw bad('to', 'must be later than from');
  const resolution = args.resolution ?? 'AUTO';
  const level: Level =
    resolution !== 'AUTO' ? resolution : span <= MAX_SPAN.SAMPLE ? 'SAMPLE' : span <= AUTO_HOURLY_UP_TO ? 'HOURLY' : 'DAILY';
  if (span > MAX_SPAN[level])
    throw bad('from', `${level} history covers at most ${MAX_SPAN[level] / DAY} days (${MAX_SPAN[level] / 60_000} minutes)`);
  return { from, to, level };
}
