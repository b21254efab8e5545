// The time ranges a stats chart shows (oVirt's and Grafana's usual ones): the last hour, day,
// week, month or year, read from the warehouse at the level the engine picks (statsHistory's
// AUTO: samples up to a day, hours up to a month, days beyond), then continued live.
export type StatsRange = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

const HOUR = 3_600_000;
export const STATS_RANGES: readonly { id: StatsRange; label: string; ms: number }[] = [
  { id: 'HOUR', label: 'Hour', ms: HOUR },
  { id: 'DAY', label: 'Day', ms: 24 * HOUR },
  { id: 'WEEK', label: 'Week', ms: 7 * 24 * HOUR },
  { id: 'MONTH', label: 'Month', ms: 30 * 24 * HOUR },
  { id: 'YEAR', label: 'Year', ms: 365 * 24 * HOUR },
];

export function rangeMs(range: StatsRange): number {
  return STATS_RANGES.find((r) => r.id === range)!.ms;
}

/** "the last hour", "the last week"… */
export function rangeWords(range: StatsRange): string {
  return `the last ${STATS_RANGES.find((r) => r.id === range)!.label.toLowerCase()}`;
}
