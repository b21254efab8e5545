// OVA download: GET /ova/vm/<id> and GET /ova/template/<id> stream the package (descriptor first,
// disk images, SHA256 manifest), as a browser download, with the session token as Bearer.
// <id> is the GraphQL global id or the database UUID. The actor needs IMPORT_EXPORT_VM on the
// object (as oVirt's export to OVA). Hosts convert the disk images to qcow2 before the first byte
// is sent (409 when no host can); disks exported empty (no qemu-img, no image file) are listed in X-Vireo-Export-Warnings
// and in a WARNING event (IMPORTEXPORT_EXPORT_VM_DISKS_EMPTY) beside the export's own.
import { PassThrough, Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Engine } from '../engine.ts';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import { can } from '../auth/permissions.ts';
import { recordEvents, recordFailure } from '../actions/actionEvents.ts';
import { ValidationError } from '../errors.ts';
import type { AuditOf } from '../actions/defineAction.ts';
import { isUuid } from '../ovf/index.ts';
import { exportSource, prepareOva, writeOvaOf, type ExportKind, type ExportSource, type PreparedOva } from '../actions/ovf/exportVm.ts';
import { loadConfig } from '../config.ts';
import { discard, MULTIPART_OVERHEAD, receiveMultipart, type ReceivedUploads } from './ovaUpload.ts';
import { handleTransferRequest } from './transfers.ts';
import { handleIsoUpload } from './isoUpload.ts';

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
  } catch {
    return null;
  }
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
  if (actor.userId === null && !actor.internal)
    return text(
      401,
      badToken
        ? 'The session token is unknown, expired or revoked; log in again.'
        : 'Log in first (Authorization: Bearer <session token>).',
    );
  if (actor.token?.operations) return text(403, 'This API token may run only its saved operations.');
  const id = localIdOf(m[2]!, typename);
  if (!id) return text(400, `"${m[2]}" is not the id of a ${typename}.`);
  if (!(await can(engine.db, actor, 'IMPORT_EXPORT_VM', { type: kind === 'vm' ? 'VM' : 'TEMPLATE', id })))
    return text(403, `Cannot export ${typename}: permission denied.`);
  let source: ExportSource;
  try {
    source = await exportSource(engine.db, kind, id);
  } catch {
    return text(404, `${typename} ${id} does not exist.`);
  }
  const vm = source.vm;
  const headers: Record<string, string> = {
    'content-type': 'application/x-tar',
    'content-disposition': `attachment; filename="${vm.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.ova"`,
    'cache-control': 'no-store',
  };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  let prepared: PreparedOva;
  try {
    prepared = await prepareOva(engine, source);
  } catch (e) {
    // No host to do the image work is a refusal (409, with its reason and its event), anything else a failure.
    if (e instanceof ValidationError) {
      await recordFailure(engine, actor, { type: 'ExportVmToOva', title: `export ${typename}` }, e, {
        objects: kind === 'vm' ? { vmId: id } : { templateId: id },
      });
      return text(409, e.message);
    }
    console.error(`export of ${typename} ${id} failed:`, e);
    return text(500, `Cannot export ${typename} ${vm.name}: ${(e as Error).message}`);
  }
  if (prepared.warnings.length) headers['x-vireo-export-warnings'] = prepared.warnings.join(' ').replace(/[^\x20-\x7e]/g, '?');
  const objectType = kind === 'vm' ? 'VM' : 'Template';
  const objects = kind === 'vm' ? { vmId: id } : { templateId: id };
  const events: AuditOf[] = [{ code: 'IMPORTEXPORT_EXPORT_VM', vars: { objectType, vmName: vm.name }, objects }];
  // The header is easy to miss; the event log says why the package lacks data.
  if (prepared.warnings.length) {
    events.push({
      code: 'IMPORTEXPORT_EXPORT_VM_DISKS_EMPTY',
      objects,
      vars: { objectType, vmName: vm.name, diskCount: prepared.warnings.length, reasons: prepared.warnings.join(' ') },
    });
  }
  try {
    await recordEvents(engine, actor, events);
  } catch (e) {
    await prepared.cleanup();
    throw e;
  }
  const body = new PassThrough();
  writeOvaOf(prepared, body).catch((e: unknown) => body.destroy(e as Error));
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: 200, headers });
}

function graphqlError(status: number, message: string, code = 'BAD_REQUEST'): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/**
 * Yoga plugin serving the OVA routes, ISO uploads (isoUpload.ts) and the hosts' image transfers (transfers.ts) before GraphQL (`plugins: [armor, ovaDownloads(engine)]`), and
 * receiving GraphQL multipart uploads (OVAs) as streams to disk (ovaUpload.ts).
 */
export function ovaDownloads(engine: Engine): Plugin {
  const uploads = new WeakMap<Request, ReceivedUploads>();
  return {
    async onRequest({ request, url, setRequest, endResponse }) {
      if (
        request.method === 'POST' &&
        url.pathname === '/graphql' &&
        /^multipart\/form-data/i.test(request.headers.get('content-type') ?? '')
      ) {
        // Nothing of an upload is read before its sender is known, nor when it says it is too large.
        const { actor, badToken } = await requestActor(engine.db, bearerToken(request.headers.get('authorization')));
        if (actor.userId === null && !actor.internal) {
          await request.body?.cancel().catch(() => undefined);
          endResponse(
            graphqlError(
              401,
              badToken ? 'The session token is unknown, expired or revoked; log in again.' : 'Log in before uploading.',
              'UNAUTHENTICATED',
            ),
          );
          return;
        }
        const declared = Number(request.headers.get('content-length') ?? Number.NaN);
        const limit = loadConfig().VIREO_MAX_OVA_BYTES + MULTIPART_OVERHEAD;
        if (declared > limit) {
          await request.body?.cancel().catch(() => undefined);
          endResponse(
            graphqlError(
              413,
              `The upload is ${declared} bytes, more than the limit of ${limit} bytes (VIREO_MAX_OVA_BYTES and the operation).`,
              'OVA_TOO_LARGE',
            ),
          );
          return;
        }
        let parsed: Awaited<ReturnType<typeof receiveMultipart>>;
        try {
          parsed = await receiveMultipart(request);
        } catch (e) {
          endResponse(graphqlError(400, `Invalid multipart request: ${(e as Error).message}`));
          return;
        }
        const headers = new Headers(request.headers);
        headers.set('content-type', 'application/json');
        headers.delete('content-length');
        const json = new Request(request.url, { method: 'POST', headers, body: parsed.body });
        uploads.set(json, parsed.received);
        setRequest(json);
        return;
      }
      const res =
        (await handleTransferRequest(request)) ?? (await handleOvaRequest(engine, request)) ?? (await handleIsoUpload(engine, request));
      if (res) endResponse(res);
    },
    async onResponse({ request }) {
      const received = uploads.get(request);
      if (received) await discard(received);
    },
  };
}
