// PUT /iso-images/<storage domain id>/<name>.iso: an ISO image uploaded onto an ISO domain, the
// body being the image's bytes (`curl -T image.iso -H 'Authorization: Bearer …' …`). The body is
// never held whole: it passes through the upload action (actions/iso/uploadIsoImage.ts) to the
// storage host that writes it. <id> is the domain's GraphQL global id or its UUID. Answers JSON:
// 201 `{ isoImage: { id, name, sizeBytes } }`, or `{ error: { code, message } }` with 400 (bad
// input), 401, 403, 404, 409 (refused), 413 (over VIREO_MAX_ISO_BYTES) or 500.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Engine } from '../engine.ts';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import { runAction, asVireoError } from '../actions/runAction.ts';
import { uploadIsoImage } from '../actions/iso/uploadIsoImage.ts';
import { IsoUploadSource } from '../storage/isoUploadSource.ts';
import { loadConfig } from '../config.ts';
import { isUuid } from '../ovf/index.ts';
import { chunksOf } from './webStreamChunks.ts';

const ROUTE = /^\/iso-images\/([^/]+)\/([^/]+)$/;
/** How much of a refused body is read and dropped before the connection is cut. */
const REFUSED_BODY_BYTES = 4 * 1024 ** 2;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });

function domainIdOf(raw: string): string | null {
  if (isUuid(raw)) return raw.toLowerCase();
  try {
    const g = decodeGlobalID(raw);
    return g.typename === 'StorageDomain' && isUuid(g.id) ? g.id : null;
  } catch {
    return null;
  }
}

const STATUS: Record<string, number> = {
  BAD_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ISO_TOO_LARGE: 413,
  ACTION_FAILED: 500,
};

/** The response for /iso-images/… requests; null for any other path. */
export async function handleIsoUpload(engine: Engine, request: Request): Promise<Response | null> {
  const m = ROUTE.exec(new URL(request.url).pathname);
  if (!m) return null;
  if (request.method !== 'PUT') return error(405, 'METHOD_NOT_ALLOWED', 'PUT the image to upload it.');
  const body = () =>
    new IsoUploadSource(chunksOf(request.body as unknown as WebReadableStream<Uint8Array>), loadConfig().VIREO_MAX_ISO_BYTES);
  // Refused before the action: a small body is read (so the answer arrives on a clean connection), a larger one cut.
  const cancel = async () => {
    if (!request.body) return;
    const refused = body();
    if (!(await refused.drain(REFUSED_BODY_BYTES))) await refused.close();
  };
  const { actor, badToken } = await requestActor(engine.db, bearerToken(request.headers.get('authorization')));
  if (actor.userId === null && !actor.internal) {
    await cancel();
    return error(
      401,
      'UNAUTHENTICATED',
      badToken ? 'The session token is unknown, expired or revoked; log in again.' : 'Log in before uploading.',
    );
  }
  if (actor.token?.operations) {
    await cancel();
    return error(403, 'FORBIDDEN', 'This API token may run only its saved operations.');
  }
  const storageDomainId = domainIdOf(decodeURIComponent(m[1]!));
  if (!storageDomainId || !request.body) {
    await cancel();
    return error(400, 'BAD_INPUT', storageDomainId ? 'The request has no body.' : `"${m[1]}" is not the id of a StorageDomain.`);
  }
  const length = request.headers.get('content-length');
  const source = body();
  const limit = source.limitBytes;
  try {
    const image = await runAction(engine, actor, uploadIsoImage, {
      storageDomainId,
      name: decodeURIComponent(m[2]!),
      declaredBytes: length === null ? null : Number(length),
      source,
    });
    return json(201, { isoImage: { id: encodeGlobalID('IsoImage', image.id), name: image.name, sizeBytes: Number(image.sizeBytes) } });
  } catch (e) {
    const err = asVireoError('upload ISO image', e);
    return error(STATUS[err.code] ?? 409, err.code, err.message);
  } finally {
    // A refused upload's sender reads the answer once its body is read: up to the limit, or a few
    // MiB when it is over the limit; past that the connection is cut.
    if (!source.complete) {
      const over = source.tooLarge || Number(length) > limit;
      if (!(await source.drain(over ? REFUSED_BODY_BYTES : limit))) await source.close();
    }
  }
}
