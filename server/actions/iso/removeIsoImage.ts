// Removes an ISO image from its ISO domain (DELETE_DISK on the domain): the row goes in the
// transaction, the file after the commit, by the data center's storage host.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { storageHost } from '../../storage/storageHost.ts';
import { SYSTEM } from '../../auth/objects.ts';

export const removeIsoImage = defineAction({
  type: 'RemoveIsoImage',
  title: 'remove ISO image',
  actionGroup: 'DELETE_DISK',
  async subject(p, db) {
    const image = await db.isoImage.findUnique({ where: { id: p.isoImageId }, select: { storageDomainId: true } });
    // An unknown image: validate() says so to whoever may remove images somewhere.
    return image ? { type: 'STORAGE_DOMAIN', id: image.storageDomainId } : SYSTEM;
  },
  params: z.object({ isoImageId: nodeId('IsoImage', 'isoImage') }),
  locks: (p) => [lockKey('IsoImageId', p.isoImageId)],
  async validate({ tx }, p) {
    const image = found(
      await tx.isoImage.findUnique({
        where: { id: p.isoImageId },
        include: { vms: { select: { name: true }, orderBy: { name: 'asc' }, take: 5 } },
      }),
      'ISO image',
      p.isoImageId,
    );
    return [
      refuseWhen(
        image.vms.length > 0,
        'ISO_IMAGE_IN_USE',
        `ISO image ${image.name} is in the CD-ROM drive of VM ${image.vms.map((v) => v.name).join(', ')}; eject it first.`,
      ),
    ];
  },
  async execute({ tx, publish, engine, afterCommit }, p) {
    const image = await tx.isoImage.delete({ where: { id: p.isoImageId }, include: { storageDomain: true } });
    const sd = image.storageDomain;
    publish('storageDomain:changed', { id: sd.id, kind: 'updated' });
    afterCommit(async () => {
      try {
        const host = await storageHost(engine, sd.dataCenterId!, 'remove ISO image');
        await engine.hosts.storage(host, { type: 'deleteIsoImage', domain: { domainId: sd.id, domainPath: sd.path }, name: image.name });
      } catch (e) {
        console.error(`ISO image ${image.name} was left on Storage Domain ${sd.name}:`, e);
      }
    });
    return image;
  },
  audit: (image) => ({
    code: 'USER_REMOVE_ISO_IMAGE',
    vars: { isoName: image.name, storageDomainName: image.storageDomain.name },
    objects: { storageDomainId: image.storageDomainId, dataCenterId: image.storageDomain.dataCenterId },
  }),
  api: {
    mutation: 'removeIsoImage',
    description: 'Remove an ISO image from its ISO domain (its file too).',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'IsoImage', id: r.id }),
  },
});
