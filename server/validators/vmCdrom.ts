// A VM's CD-ROM (oVirt's ChangeDisk / iso path) and boot sequence: the ISO image must be on an
// active ISO domain of the VM's data center; changed while the VM runs, its host changes the
// medium at once (agent verb changeCd).
import { z } from 'zod';
import type { VmStatus } from '../../generated/prisma/enums.ts';
import type { CdromMedium } from '../../protocol/messages.ts';
import type { Db, Tx } from '../db.ts';
import type { Reason } from '../errors.ts';
import { nodeId } from './params.ts';
import { refuseWhen } from './reasons.ts';

export const cdromParam = nodeId('IsoImage', 'cdrom')
  .optional()
  .describe('The ISO image in its CD-ROM drive, from an ISO domain of its data center; a running VM gets it at once.');

export const ejectCdromParam = z.boolean().optional().describe("Empty the CD-ROM drive (a running VM's medium is ejected at once).");

export const BOOT_DEVICES = ['DISK', 'CDROM', 'NETWORK'] as const;
export const bootDevicesParam = z
  .array(z.enum(BOOT_DEVICES).meta({ graphql: 'BootDevice' }))
  .min(1, 'must name at least one device')
  .max(3)
  .refine((l) => new Set(l).size === l.length, 'may name each device once')
  .optional()
  .describe('What it boots from, in order (e.g. [CDROM, DISK] to install from an ISO); the bootable disk, the CD-ROM, the first NIC.');

/** Statuses in which the VM's host changes the medium at once; Down and Suspended VMs take it at their next start. */
export const LIVE_CD_STATUSES: readonly VmStatus[] = ['UP', 'PAUSED', 'POWERING_UP', 'REBOOT_IN_PROGRESS'];

/** Why the image cannot go into a VM of this data center, or null. */
export async function cdromImageUsable(tx: Tx, dataCenterId: string, imageId: string | null | undefined): Promise<Reason | null> {
  if (!imageId) return null;
  const image = await tx.isoImage.findUnique({ where: { id: imageId }, include: { storageDomain: true } });
  if (!image) return { code: 'ISO_IMAGE_NOT_FOUND', message: `ISO image ${imageId} does not exist.` };
  const sd = image.storageDomain;
  return (
    refuseWhen(
      sd.dataCenterId !== dataCenterId,
      'ISO_IMAGE_NOT_IN_DATA_CENTER',
      `ISO image ${image.name} is on Storage Domain ${sd.name}, which is not in the VM's data center.`,
    ) ??
    refuseWhen(sd.status !== 'ACTIVE', 'STORAGE_DOMAIN_NOT_ACTIVE', `Storage Domain ${sd.name} of ISO image ${image.name} is ${sd.status}.`)
  );
}

/** The image as a host finds it (null: none). */
export async function cdromMedium(db: Db | Tx, imageId: string | null): Promise<CdromMedium | null> {
  if (!imageId) return null;
  const image = await db.isoImage.findUnique({ where: { id: imageId }, include: { storageDomain: { select: { id: true, path: true } } } });
  return image && { domainId: image.storageDomain.id, domainPath: image.storageDomain.path, name: image.name };
}
