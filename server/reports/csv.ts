// A report as CSV (RFC 4180): one header row (label and unit), then its rows.
import { stringify } from 'csv-stringify/sync';
import type { Report } from './report.ts';

export function reportCsv(r: Report): string {
  const header = r.columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label));
  return stringify([header, ...r.rows.map((row) => row.map((cell) => cell ?? ''))], { record_delimiter: 'windows' });
}
