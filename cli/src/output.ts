// Output for people (tables, one line per event) and for scripts (--json).
import Table from 'cli-table3';

type Row = Record<string, unknown>;

const LEADING = ['name', 'alias', 'userName', 'code', 'severity', 'message', 'status'];
const named = (v: unknown) => !!v && typeof v === 'object' && ['name', 'alias', 'userName'].some((k) => k in (v as Row));
const SKIP = new Set(['__typename', 'id', 'cursor']);

/** A value as a table cell: an object by its name (or its scalar fields), a list by its names or length. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object')) return value.join(', ');
    return value.every(named) ? value.map(cell).join(', ') : `${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') {
    const o = value as Row;
    if (named(o)) return String(o.name ?? o.alias ?? o.userName);
    const text = Object.entries(o)
      .filter(([k, v]) => k !== '__typename' && v !== null && typeof v !== 'object')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  }
  return String(value);
}

/** Columns of a list: the naming and status fields first, then the objects it refers to, then the other scalars, at most `max`. */
export function columnsOf(rows: Row[], max = 8): string[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !SKIP.has(k));
  const isObject = (k: string) => rows.some((r) => r[k] !== null && typeof r[k] === 'object' && !Array.isArray(r[k]));
  const isNamed = (k: string) => rows.some((r) => named(r[k]));
  const isList = (k: string) => rows.some((r) => Array.isArray(r[k]));
  const leading = LEADING.filter((k) => keys.includes(k));
  const objects = keys.filter((k) => isNamed(k) && !leading.includes(k));
  const scalars = keys.filter((k) => !isObject(k) && !isList(k) && !leading.includes(k) && !/At$/.test(k));
  return [...leading, ...objects, ...scalars.filter((k) => k !== 'description')].slice(0, max);
}

export function table(rows: Row[]): string {
  if (!rows.length) return '(none)';
  const columns = columnsOf(rows);
  const t = new Table({ head: columns, style: { head: [], border: [] } });
  for (const r of rows) t.push(columns.map((c) => cell(r[c])));
  return t.toString();
}

/** One object, field by field. */
export function details(object: Row): string {
  const t = new Table({
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [22, Math.max(40, Math.min(100, (process.stdout.columns || 100) - 26))],
  });
  for (const [k, v] of Object.entries(object)) if (!SKIP.has(k) || k === 'id') t.push({ [k]: cell(v) });
  return t.toString();
}

/** One event of a subscription on one line. */
export function line(value: unknown): string {
  if (!value || typeof value !== 'object') return String(value);
  const o = value as Row;
  const columns = columnsOf([o], 6).filter((c) => c !== 'description' && !/Id$/.test(c));
  const when = o.createdAt ?? o.sampledAt ?? o.startedAt;
  return [when ? String(when) : null, ...columns.map((c) => `${c}=${cell(o[c])}`)].filter(Boolean).join('  ');
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);
