// An ISO image uploaded onto an ISO domain (oVirt's image upload, CREATE_DISK on the domain): the
// HTTP route (server/http/isoUpload.ts) hands the request's body over as it arrives. The engine
// refuses what is not an ISO 9660 image from its first bytes, then the data center's storage host
// fetches the rest straight from the request (a transfer ticket) and writes it onto the domain; the
// engine only records the image once the host has it whole. Refused, cut off or over the limit:
// no row, no file.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { ValidationError, type Reason } from '../../errors.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { id } from '../../validators/params.ts';
import { IsoName, type StorageResult } from '../../../protocol/storage.ts';
import { IsoUploadSource } from '../../storage/isoUploadSource.ts';
import { storageHost, storageHostAvailable } from '../../storage/storageHost.ts';
import { offerStream } from '../../storage/transfers.ts';
import { isoDomainProblems } from './isoDomain.ts';

const TITLE = 'upload ISO image';

const refuse = (code: string, message: string) => new ValidationError(TITLE, [{ code, message }]);

function tooLarge(name: string, limit: number): ValidationError {
  return refuse('ISO_TOO_LARGE', `${name} is larger than the limit of ${limit} bytes (VIREO_MAX_ISO_BYTES); nothing was kept.`);
}

function cutOff(name: string, source: IsoUploadSource): ValidationError {
  return refuse('ISO_UPLOAD_INCOMPLETE', `The upload of ${name} was cut off after ${source.receivedBytes} bytes; nothing was kept.`);
}

/** Why the host's answer or the sender's side means the image is not whole, or null when it is. */
function problem(p: { name: string; source: IsoUploadSource }, r: StorageResult<'receiveIsoImage'>): ValidationError | null {
  const { name, source } = p;
  // 'exists' comes before the host fetches anything: the upload is not cut off, only not taken.
  if (r.state === 'exists') return refuse('ISO_IMAGE_EXISTS', `The ISO domain already holds a file named ${name}.`);
  if (source.tooLarge || r.state === 'tooLarge') return tooLarge(name, source.limitBytes);
  if (!source.complete) return cutOff(name, source);
  if (r.state === 'notIso') return refuse('NOT_AN_ISO_IMAGE', `${name} is not an ISO 9660 image.`);
  if (r.state === 'incomplete')
    return refuse(
      'ISO_UPLOAD_INCOMPLETE',
      `${name} holds ${r.sizeBytes} bytes of the ${r.volumeBytes} its volume descriptor declares: it is cut off; nothing was kept.`,
    );
  if (r.sizeBytes !== source.receivedBytes)
    return refuse('ISO_UPLOAD_INCOMPLETE', `The host wrote ${r.sizeBytes} of the ${source.receivedBytes} bytes sent; nothing was kept.`);
  return null;
}

export const uploadIsoImage = defineAction({
  type: 'UploadIsoImage',
  title: TITLE,
  actionGroup: 'CREATE_DISK',
  subject: (p) => ({ type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({
    storageDomainId: id,
    name: IsoName,
    /** The body's length as the sender declared it (Content-Length), if it did. */
    declaredBytes: z.number().int().nonnegative().nullable(),
    source: z.custom<IsoUploadSource>((v) => v instanceof IsoUploadSource, 'must be the upload'),
  }),
  locks: (p) => [lockKey('IsoImage', `${p.storageDomainId}/${p.name}`)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const sd = found(await tx.storageDomain.findUnique({ where: { id: p.storageDomainId } }), 'Storage Domain', p.storageDomainId);
    const taken = await tx.isoImage.count({ where: { storageDomainId: sd.id, name: p.name } });
    const reasons: (Reason | null)[] = [
      ...isoDomainProblems(sd),
      refuseWhen(taken > 0, 'ISO_IMAGE_EXISTS', `Storage Domain ${sd.name} already holds an ISO image named ${p.name}.`),
      p.declaredBytes !== null && p.declaredBytes > p.source.limitBytes ? tooLarge(p.name, p.source.limitBytes).reasons[0]! : null,
      await storageHostAvailable(tx, sd.dataCenterId),
    ];
    return reasons;
  },
  async onHost({ engine, hosts, compensate }, p) {
    const sd = await engine.db.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    const volume = await p.source.volume().catch(() => null);
    if (p.source.broken) throw cutOff(p.name, p.source);
    if (!volume) {
      throw refuse(
        'NOT_AN_ISO_IMAGE',
        `${p.name} is not an ISO 9660 image (no "CD001" volume descriptor at byte 32769); nothing was kept.`,
      );
    }
    const host = await storageHost(engine, sd.dataCenterId!, TITLE);
    const domain = { domainId: sd.id, domainPath: sd.path };
    const ticket = offerStream(p.source.stream());
    let r: StorageResult<'receiveIsoImage'>;
    try {
      r = await hosts.storage(host, {
        type: 'receiveIsoImage',
        domain,
        name: p.name,
        transferPath: ticket.path,
        maxBytes: p.source.limitBytes,
      });
    } catch (e) {
      // The host's fetch broke because the sender's did, or the limit was reached: say that.
      if (p.source.tooLarge) throw tooLarge(p.name, p.source.limitBytes);
      if (p.source.broken) throw cutOff(p.name, p.source);
      throw e;
    } finally {
      ticket.revoke();
    }
    if (r.state === 'written') {
      compensate(async () => {
        await hosts.storage(host, { type: 'deleteIsoImage', domain, name: p.name });
      });
    }
    const why = problem(p, r);
    if (why) throw why;
    return { sizeBytes: BigInt((r as { sizeBytes: number }).sizeBytes) };
  },
  async execute({ tx, publish }, p, _marked, written) {
    // A refresh of the domain while the image came may have listed it already.
    const image = await tx.isoImage.upsert({
      where: { storageDomainId_name: { storageDomainId: p.storageDomainId, name: p.name } },
      create: { storageDomainId: p.storageDomainId, name: p.name, sizeBytes: written.sizeBytes },
      update: { sizeBytes: written.sizeBytes },
      include: { storageDomain: { select: { name: true, dataCenterId: true } } },
    });
    publish('storageDomain:changed', { id: p.storageDomainId, kind: 'updated' });
    return image;
  },
  audit: (image) => ({
    code: 'TRANSFER_IMAGE_SUCCEEDED',
    vars: { isoName: image.name, sizeBytes: String(image.sizeBytes), storageDomainName: image.storageDomain.name },
    objects: { storageDomainId: image.storageDomainId, dataCenterId: image.storageDomain.dataCenterId },
  }),
});
