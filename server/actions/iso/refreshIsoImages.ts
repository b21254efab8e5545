// Refreshes an ISO domain's list of images from its files (oVirt's ISO list refresh): images copied
// onto the domain by hand appear, those whose file is gone go (unless a VM's CD-ROM drive holds
// one: it stays, and the event says so). The data center's storage host reads the domain; files
// named *.iso that are not whole ISO 9660 images are left out, each named in the event.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { found } from '../../validators/reasons.ts';
import { nodeId } from '../../validators/params.ts';
import { storageHost, storageHostAvailable } from '../../storage/storageHost.ts';
import { isoDomainProblems } from './isoDomain.ts';

const TITLE = 'refresh ISO images';

/** "a, b and 2 more" */
const names = (l: string[]) => (l.length > 5 ? `${l.slice(0, 5).join(', ')} and ${l.length - 5} more` : l.join(', '));

export const refreshIsoImages = defineAction({
  type: 'RefreshIsoImages',
  title: TITLE,
  actionGroup: 'CREATE_DISK',
  subject: (p) => ({ type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({ storageDomainId: nodeId('StorageDomain', 'storageDomain') }),
  locks: (p) => [lockKey('IsoRefresh', p.storageDomainId)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const sd = found(await tx.storageDomain.findUnique({ where: { id: p.storageDomainId } }), 'Storage Domain', p.storageDomainId);
    return [...isoDomainProblems(sd), await storageHostAvailable(tx, sd.dataCenterId)];
  },
  async onHost({ engine, hosts }, p) {
    const sd = await engine.db.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    const host = await storageHost(engine, sd.dataCenterId!, TITLE);
    return hosts.storage(host, { type: 'listIsoImages', domain: { domainId: sd.id, domainPath: sd.path } });
  },
  async execute({ tx, publish }, p, _marked, listed) {
    const sd = await tx.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    const rows = await tx.isoImage.findMany({ where: { storageDomainId: sd.id }, include: { vms: { select: { id: true } } } });
    const onDisk = new Map(listed.images.map((i) => [i.name, BigInt(i.sizeBytes)]));
    const listedBefore = new Set(rows.map((r) => r.name));
    const added = listed.images.filter((i) => !listedBefore.has(i.name)).map((i) => i.name);
    const gone = rows.filter((r) => !onDisk.has(r.name));
    const held = gone.filter((r) => r.vms.length > 0).map((r) => r.name);
    const removed = gone.filter((r) => r.vms.length === 0);
    await tx.isoImage.createMany({ data: added.map((name) => ({ storageDomainId: sd.id, name, sizeBytes: onDisk.get(name)! })) });
    await tx.isoImage.deleteMany({ where: { id: { in: removed.map((r) => r.id) } } });
    for (const r of rows) {
      const size = onDisk.get(r.name);
      if (size !== undefined && size !== r.sizeBytes) await tx.isoImage.update({ where: { id: r.id }, data: { sizeBytes: size } });
    }
    publish('storageDomain:changed', { id: sd.id, kind: 'updated' });
    const detail = [
      added.length ? `found ${names(added)}` : 'found no new image',
      removed.length ? `removed ${names(removed.map((r) => r.name))} (file gone)` : null,
      held.length ? `kept ${names(held)} whose file is gone, in a VM's CD-ROM drive` : null,
      listed.skipped.length ? `left out ${names(listed.skipped.map((s) => `${s.name} (${s.why})`))}` : null,
    ];
    return { storageDomain: sd, detail: detail.filter(Boolean).join('; ') };
  },
  audit: ({ storageDomain: sd, detail }) => ({
    code: 'ISO_DOMAIN_REFRESHED',
    vars: { storageDomainName: sd.name, detail },
    objects: { storageDomainId: sd.id, dataCenterId: sd.dataCenterId },
  }),
  api: {
    mutation: 'refreshIsoImages',
    description: "Refresh an ISO domain's images from its files: images copied there by hand are listed, those whose file is gone removed.",
    payload: { field: 'storageDomain', type: 'StorageDomain' },
    result: (r) => r.storageDomain,
  },
});
