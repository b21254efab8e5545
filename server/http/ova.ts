// OVA download: GET /ova/vm/<id> and GET /ova/template/<id> stream the package (descriptor first,
// disk images, SHA256 manifest), as a browser download, with the session token as Bearer.
// <id> is the GraphQL global id or the database UUID. The actor needs IMPORT_EXPORT_VM on the
// object (as oVirt's export to OVA). Disk images are empty qcow2 files for now.
import { PassThrough, Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Engine } from '../engine.ts';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import { can } from '../auth/permissions.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { isUuid } from '../ovf/index.ts';
import { describe, writeOvaOf, type ExportKind } from '../actions/ovf/exportVm.ts';

const ROUTE = /^\/ova\/(vm|template)\/([^/]+)\/?$/;

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function localIdOf(raw: string, typename: string): string | null {
  const value = decodeURIComponent(raw);
  if (isUuid(value)) return value.toLowerCase();
  try {
    const g = decodeGlobalID(value);
    return g.typename === typename && isUuid(g.id) ? g.id : null;
  } catch { return null; }
}

/** The response for /ova/… requests; null for any other path (left to the next handler). */
export async function handleOvaRequest(engine: Engine, request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const m = ROUTE.exec(url.pathname);
  if (!m) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Only GET downloads an OVA.');
  const kind = m[1] as ExportKind;
  const typename = kind === 'vm' ? 'Vm' : 'Template';
  const { actor, badToken } = await requestActor(engine.db, bearerToken(request.headers.get('authorization')));
  if (actor.userId === null && !actor.internal) return text(401, badToken ? 'The session token is unknown, expired or revoked; log in again.' : 'Log in first (Authorization: Bearer <session token>).');
  const id = localIdOf(m[2]!, typename);
  if (!id) return text(400, `"${m[2]}" is not the id of a ${typename}.`);
  if (!(await can(engine.db, actor, 'IMPORT_EXPORT_VM', { type: kind === 'vm' ? 'VM' : 'TEMPLATE', id }))) return text(403, `Cannot export ${typename}: permission denied.`);
  let vm;
  try { vm = await describe(engine.db, kind, id); } catch { return text(404, `${typename} ${id} does not exist.`); }
  const headers = {
    'content-type': 'application/x-tar',
    'content-disposition': `attachment; filename="${vm.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.ova"`,
    'cache-control': 'no-store',
  };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  const auditId = await writeAuditLog(engine.db, {
    code: 'IMPORTEXPORT_EXPORT_VM', vars: { objectType: kind === 'vm' ? 'VM' : 'Template', vmName: vm.name }, userName: actor.userName,
    objects: kind === 'vm' ? { vmId: id } : { templateId: id },
  });
  engine.pubsub.publish('audit:created', { id: auditId });
  const body = new PassThrough();
  writeOvaOf(vm, body).catch((e: unknown) => body.destroy(e as Error));
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: 200, headers });
}

/** Yoga plugin serving the OVA routes before GraphQL: `plugins: [armor, ovaDownloads(engine)]`. */
export function ovaDownloads(engine: Engine): Plugin {
  return {
    async onRequest({ request, endResponse }) {
      const res = await handleOvaRequest(engine, request);
      if (res) endResponse(res);
    },
  };
}
