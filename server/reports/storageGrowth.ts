// Storage growth: each storage domain's space used at the start and the end of the window (the
// means of its first and last history periods), the growth between, its trend (least-squares
// slope over the window's periods) and the days until the domain is full at that trend; fastest
// growing first.
import type { Db } from '../db.ts';
import { visible, type Visibility } from '../auth/permissions.ts';
import { STORAGE_DOMAIN } from '../warehouse/levels.ts';
import { readMarks } from '../warehouse/marks.ts';
import { figures, parts } from '../history/series.ts';
import { statsWindow } from '../history/statsWindow.ts';
import { slopePerDay } from './clusterCapacity.ts';
import { barsOf, round2, type Report, type ReportParams } from './report.ts';
import { idList } from './scope.ts';

const GiB = 1024 ** 3;
const gib = (bytes: number) => round2(bytes / GiB);

export async function storageGrowth(db: Db, v: Visibility, p: ReportParams): Promise<Report> {
  const domains = await db.storageDomain.findMany({
    where: {
      AND: [
        visible.storageDomain(v) ?? {},
        p.clusterId ? { dataCenter: { is: { clusters: { some: { id: p.clusterId } } } } } : { dataCenterId: { not: null } },
      ],
    },
    include: { dataCenter: true },
    orderBy: { name: 'asc' },
  });
  const w = statsWindow({ from: p.from, to: p.to }, p.to);
  const points = domains.length
    ? await db.$queryRaw<{ key: string; period: Date; usedBytes: number }[]>`SELECT key, period, ${figures(STORAGE_DOMAIN)}
        FROM (${parts(STORAGE_DOMAIN, idList(domains.map((d) => d.id)), w, await readMarks(db))}) p GROUP BY key, period ORDER BY period`
    : [];
  const rows = domains
    .map((d) => {
      const mine = points.filter((pt) => pt.key === d.id);
      const first = mine[0]?.usedBytes;
      const last = mine.at(-1)?.usedBytes;
      const trend = slopePerDay(mine.map((pt) => ({ at: pt.period, value: pt.usedBytes / GiB })));
      const free = Number(d.capacityBytes - d.usedBytes) / GiB;
      return [
        d.name,
        d.dataCenter?.name ?? null,
        d.domainType,
        gib(Number(d.capacityBytes)),
        first === undefined ? null : gib(first),
        last === undefined ? null : gib(last),
        first === undefined || last === undefined ? null : gib(last - first),
        mine.length < 2 ? null : round2(trend),
        mine.length >= 2 && trend > 0 ? Math.floor(Math.max(0, free) / trend) : null,
      ];
    })
    .sort((a, b) => Number(b[6] ?? Number.NEGATIVE_INFINITY) - Number(a[6] ?? Number.NEGATIVE_INFINITY))
    .slice(0, p.top ?? undefined);
  return {
    kind: 'STORAGE_GROWTH',
    title: 'Storage growth',
    from: p.from,
    to: p.to,
    columns: [
      { key: 'storageDomain', label: 'Storage domain', unit: null },
      { key: 'dataCenter', label: 'Data center', unit: null },
      { key: 'type', label: 'Type', unit: null },
      { key: 'capacity', label: 'Capacity', unit: 'GiB' },
      { key: 'usedAtStart', label: 'Used at start', unit: 'GiB' },
      { key: 'usedAtEnd', label: 'Used at end', unit: 'GiB' },
      { key: 'growth', label: 'Growth', unit: 'GiB' },
      { key: 'growthTrend', label: 'Growth trend', unit: 'GiB/day' },
      { key: 'daysUntilFull', label: 'Days until full at that trend', unit: null },
    ],
    rows,
    chart: { title: 'Growth per storage domain', unit: 'GiB', bars: barsOf(rows, 0, 6) },
  };
}
