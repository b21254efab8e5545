// Report downloads: GET /reports/<kind>.csv and /reports/<kind>.pdf (kind as in the ReportKind
// enum, any case, `-` for `_`), with ?from=&to= (ISO times; to: now), &cluster= (a Cluster's
// global id) and &top=, and the session or API token as Bearer. Same rows as the `report` query.
import type { Plugin } from 'graphql-yoga';
import type { Engine } from '../engine.ts';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import { visibilityOf } from '../auth/permissions.ts';
import { InputError } from '../errors.ts';
import { localId } from '../../schema/ids.ts';
import { buildReport } from '../reports/build.ts';
import { reportCsv } from '../reports/csv.ts';
import { reportPdf } from '../reports/pdf.ts';
import { REPORT_KINDS, type ReportKind } from '../reports/report.ts';

const ROUTE = /^\/reports\/([A-Za-z_-]+)\.(csv|pdf)$/;

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

function time(value: string | null, name: string): Date | undefined {
  if (value === null) return undefined;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new InputError([{ path: name, message: `"${value}" is not a time (ISO 8601)` }]);
  return t;
}

export async function handleReportRequest(engine: Engine, request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const m = ROUTE.exec(url.pathname);
  if (!m) return null;
  if (request.method !== 'GET') return text(405, 'Only GET downloads a report.');
  const kind = m[1]!.toUpperCase().replaceAll('-', '_') as ReportKind;
  if (!REPORT_KINDS.includes(kind)) return text(404, `There is no report "${m[1]}"; the reports: ${REPORT_KINDS.join(', ')}.`);
  const { actor, badToken } = await requestActor(engine.db, bearerToken(request.headers.get('authorization')));
  if (actor.userId === null && !actor.internal) return text(401, badToken ? 'The session token is unknown, expired or revoked; log in again.' : 'Log in first (Authorization: Bearer <token>).');
  if (actor.token?.operations) return text(403, 'This API token may run only its saved operations.');
  const q = url.searchParams;
  let body: Buffer<ArrayBuffer> | string;
  try {
    const from = time(q.get('from'), 'from');
    if (!from) throw new InputError([{ path: 'from', message: 'is required' }]);
    const cluster = q.get('cluster');
    const top = q.get('top');
    const report = await buildReport(engine, await visibilityOf(engine.db, actor), kind, {
      from, to: time(q.get('to'), 'to') ?? engine.now(), clusterId: cluster ? localId(cluster, 'Cluster', 'cluster') : null, top: top === null ? null : Number(top),
    });
    body = m[2] === 'csv' ? reportCsv(report) : await reportPdf(report, engine.now());
  } catch (e) {
    if (e instanceof InputError) return text(400, e.message);
    throw e;
  }
  const name = `${kind.toLowerCase().replaceAll('_', '-')}.${m[2]}`;
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': m[2] === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
}

/** Yoga plugin serving /reports/… before GraphQL. */
export function reportDownloads(engine: Engine): Plugin {
  return {
    async onRequest({ request, endResponse }) {
      const res = await handleReportRequest(engine, request);
      if (res) endResponse(res);
    },
  };
}
