// Report downloads: GET /reports/<kind>.csv and /reports/<kind>.pdf (kind as in the ReportKind
// enum, any case, `-` for `_`), with ?from=&to= (ISO times; to: now), &cluster= (a Cluster's
// global id) and &top=, and the session or API token as Bearer. Same rows as the `report` query.
// GET /reports/runs/<id>: the file a scheduled report's run kept (administrators).
import type { Plugin } from 'graphql-yoga';
import type { Engine } from '../engine.ts';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import type { Actor } from '../auth/actor.ts';
import { visibilityOf } from '../auth/permissions.ts';
import { InputError } from '../errors.ts';
import { localId } from '../../schema/ids.ts';
import { buildReport } from '../reports/build.ts';
import { reportCsv } from '../reports/csv.ts';
import { reportPdf } from '../reports/pdf.ts';
import { REPORT_KINDS, type ReportKind } from '../reports/report.ts';

const ROUTE = /^\/reports\/([A-Za-z_-]+)\.(csv|pdf)$/;
const RUN_ROUTE = /^\/reports\/runs\/([0-9a-fA-F-]{36})$/;

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

function time(value: string | null, name: string): Date | undefined {
  if (value === null) return undefined;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new InputError([{ path: name, message: `"${value}" is not a time (ISO 8601)` }]);
  return t;
}

/** The request's actor, or the response refusing it. */
async function reader(engine: Engine, request: Request): Promise<Actor | Response> {
  const { actor, badToken } = await requestActor(engine.db, bearerToken(request.headers.get('authorization')));
  if (actor.userId === null && !actor.internal)
    return text(
      401,
      badToken ? 'The session token is unknown, expired or revoked; log in again.' : 'Log in first (Authorization: Bearer <token>).',
    );
  if (actor.token?.operations) return text(403, 'This API token may run only its saved operations.');
  return actor;
}

async function handleRunRequest(engine: Engine, request: Request, runId: string): Promise<Response> {
  const actor = await reader(engine, request);
  if (actor instanceof Response) return actor;
  if (!(await visibilityOf(engine.db, actor)).admin) return text(403, 'Scheduled reports are for administrators.');
  const run = await engine.db.reportRun.findUnique({ where: { id: runId.toLowerCase() } });
  if (!run) return text(404, `There is no report run ${runId}.`);
  const body = Buffer.from(run.content);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': run.contentType,
      'content-disposition': `attachment; filename="${run.fileName}"`,
      'cache-control': 'no-store',
    },
  });
}

export async function handleReportRequest(engine: Engine, request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const run = RUN_ROUTE.exec(url.pathname);
  const m = ROUTE.exec(url.pathname);
  if (!m && !run) return null;
  if (request.method !== 'GET') return text(405, 'Only GET downloads a report.');
  if (run) return handleRunRequest(engine, request, run[1]!);
  const kind = m![1]!.toUpperCase().replaceAll('-', '_') as ReportKind;
  if (!REPORT_KINDS.includes(kind)) return text(404, `There is no report "${m![1]}"; the reports: ${REPORT_KINDS.join(', ')}.`);
  const actor = await reader(engine, request);
  if (actor instanceof Response) return actor;
  const q = url.searchParams;
  let body: Buffer<ArrayBuffer> | string;
  try {
    const from = time(q.get('from'), 'from');
    if (!from) throw new InputError([{ path: 'from', message: 'is required' }]);
    const cluster = q.get('cluster');
    const top = q.get('top');
    const source = { db: engine.db, now: engine.now, reportIntervalMs: engine.monitoring.reportIntervalMs };
    const report = await buildReport(source, await visibilityOf(engine.db, actor), kind, {
      from,
      to: time(q.get('to'), 'to') ?? engine.now(),
      clusterId: cluster ? localId(cluster, 'Cluster', 'cluster') : null,
      top: top === null ? null : Number(top),
    });
    body = m![2] === 'csv' ? reportCsv(report) : await reportPdf(report, engine.now());
  } catch (e) {
    if (e instanceof InputError) return text(400, e.message);
    throw e;
  }
  const format = m![2]!;
  const name = `${kind.toLowerCase().replaceAll('_', '-')}.${format}`;
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
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
