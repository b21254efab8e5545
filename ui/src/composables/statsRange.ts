// The time ranges a stats chart shows (oVirt's and Grafana's usual ones): the last hour, day,
// week, month or year, read from the warehouse at the level the engine picks (statsHistory's
// AUTO: samples up to a day, hours up to a month, days beyond), then continued live.
import { i18n } from '../i18n';

export type StatsRange = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

const HOUR = 3_600_000;
export const STATS_RANGES: readonly { id: StatsRange; ms: number }[] = [
  { id: 'HOUR', ms: HOUR },
  { id: 'DAY', ms: 24 * HOUR },
  { id: 'WEEK', ms: 7 * 24 * HOUR },
  { id: 'MONTH', ms: 30 * 24 * HOUR },
  { id: 'YEAR', ms: 365 * 24 * HOUR },
];

export function rangeMs(range: StatsRange): number {
  return STATS_RANGES.find((r) => r.id === range)!.ms;
}

/** The range's button: "Hour", "Week"… in the portal's language. */
export function rangeLabel(range: StatsRange): string {
  return i18n.global.t(`chart.range.${range}`);
}

/** "the last hour", "the last week"… in the portal's language. */
export function rangeWords(range: StatsRange): string {
  return i18n.global.t(`chart.last.${range}`);
}
