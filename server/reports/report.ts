// What every built-in report is: a titled table over a time window, with one chart, that the
// API returns as it is and the downloads render as CSV (csv.ts) or PDF (pdf.ts).

export type ReportKind = 'HOST_UTILISATION' | 'VM_UTILISATION' | 'VM_AVAILABILITY' | 'CLUSTER_CAPACITY' | 'STORAGE_GROWTH' | 'INVENTORY';
export const REPORT_KINDS: readonly ReportKind[] = [
  'HOST_UTILISATION',
  'VM_UTILISATION',
  'VM_AVAILABILITY',
  'CLUSTER_CAPACITY',
  'STORAGE_GROWTH',
  'INVENTORY',
];

export interface ReportColumn {
  key: string;
  label: string;
  /** '%', 'MiB', 'B/s', … ; null for names and counts. */
  unit: string | null;
}

export type ReportCell = string | number | null;

export interface ReportBar {
  label: string;
  value: number;
}

export interface Report {
  kind: ReportKind;
  title: string;
  from: Date;
  to: Date;
  columns: ReportColumn[];
  rows: ReportCell[][];
  /** One bar per row (the first `top` rows), of the column `chart.column`. */
  chart: { title: string; unit: string | null; bars: ReportBar[] } | null;
}

export interface ReportParams {
  from: Date;
  to: Date;
  /** Only this cluster's hosts and VMs. */
  clusterId?: string | null;
  /** The most rows of the top-consumer reports; all of them when absent. */
  top?: number | null;
}

/** Rounds to two decimals, for a table a person reads. */
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** The chart of a report: the first rows' value in one column, labelled by another. */
export function barsOf(rows: ReportCell[][], labelAt: number, valueAt: number, most = 10): ReportBar[] {
  return rows.slice(0, most).map((r) => ({ label: String(r[labelAt] ?? ''), value: Number(r[valueAt] ?? 0) }));
}
