// The files of a disk's volume chain (actions/disk/volumes.ts keeps the rows), as oVirt keeps an
// image's volumes: every volume of disk D's own chain is a file in D's image folder,
// `images/<D>/<image id of the volume row>`, each a qcow2 on the one below (relative backing
// path); a thin disk from a template sits on the template disk's file in the template disk's own
// folder. The top volume (the disk row itself) has the disk's own image id. A row's file is named
// after its id unless a live merge left it the base's file (`imageId`, volumeRef.ts's imageOf).
// Every change goes to the data center's SPM (storageHost.ts).
import type { VolumeFormat, VolumeRef } from '../../protocol/storage.ts';
import type { Engine } from '../engine.ts';
import { storageHost, type StorageHost } from './storageHost.ts';
import { imageIdOf, imageOf } from './volumeRef.ts';

interface Domain {
  id: string;
  path: string;
}

/** A volume row as its file is found. */
type Row = { id: string; imageId: string | null };

/** The file of volume row `volume` in the image folder of disk `groupId`. */
export function chainRef(domain: Domain, groupId: string, volume: Row): VolumeRef {
  return { domainId: domain.id, domainPath: domain.path, diskId: groupId, imageId: imageOf(volume) };
}

/** One change to a disk's top volume: a new overlay on `backing` (a volume of the same disk), the old top kept as `keepAsId`. */
export interface OverlayChange {
  domain: Domain;
  disk: Row;
  sizeBytes: bigint;
  keepAsId: string;
  /** The backing volume's row, or the id of the volume the old top becomes. */
  backing: Row | string;
  backingFormat: VolumeFormat;
}

const rowOf = (v: Row | string): Row => (typeof v === 'string' ? { id: v, imageId: null } : v);

/** Makes the overlays on the SPM; `compensate` gets each one's undo (the kept top back in place). */
export async function overlayTops(
  engine: Engine,
  dataCenterId: string,
  title: string,
  changes: OverlayChange[],
  compensate: (undo: () => Promise<void>) => void,
): Promise<void> {
  if (!changes.length) return;
  const host = await storageHost(engine, dataCenterId, title);
  for (const c of changes) {
    const top = chainRef(c.domain, c.disk.id, c.disk);
    await engine.hosts.storage(host, {
      type: 'overlayVolume',
      volume: top,
      keepAs: imageIdOf(c.keepAsId),
      backing: chainRef(c.domain, c.disk.id, rowOf(c.backing)),
      backingFormat: c.backingFormat,
      sizeBytes: Number(c.sizeBytes),
    });
    compensate(async () => {
      await engine.hosts.storage(host, { type: 'restoreVolume', volume: top, from: imageIdOf(c.keepAsId) });
    });
  }
}

/** Puts each disk's kept volume back as its top (the overlay on top is dropped). */
export async function restoreTops(
  engine: Engine,
  dataCenterId: string,
  title: string,
  restores: { domain: Domain; disk: Row; keptId: string }[],
): Promise<void> {
  if (!restores.length) return;
  const host = await storageHost(engine, dataCenterId, title);
  for (const r of restores)
    await engine.hosts.storage(host, { type: 'restoreVolume', volume: chainRef(r.domain, r.disk.id, r.disk), from: imageIdOf(r.keptId) });
}

/** Merges each volume into the one above it (cold merge) on the SPM. */
export async function mergeVolumes(
  engine: Engine,
  dataCenterId: string,
  title: string,
  merges: { domain: Domain; diskId: string; volume: Row; above: Row }[],
): Promise<void> {
  if (!merges.length) return;
  const host = await storageHost(engine, dataCenterId, title);
  for (const m of merges)
    await engine.hosts.storage(host, {
      type: 'mergeVolume',
      volume: chainRef(m.domain, m.diskId, m.above),
      base: chainRef(m.domain, m.diskId, m.volume),
    });
}

/** Removes the files of volumes no chain uses any more (an after-commit step; a failure is logged). */
export async function deleteVolumeImages(
  engine: Engine,
  dataCenterId: string,
  volumes: { domain: Domain; diskId: string; volume: Row }[],
): Promise<void> {
  if (!volumes.length) return;
  let host: StorageHost;
  try {
    host = await storageHost(engine, dataCenterId, 'remove volumes');
  } catch (e) {
    console.error('volumes were left on their storage domain:', e);
    return;
  }
  for (const v of volumes)
    await engine.hosts
      .storage(host, { type: 'deleteVolumeImage', volume: chainRef(v.domain, v.diskId, v.volume) })
      .catch((e) => console.error(`volume ${v.volume.id} of disk ${v.diskId} was left on its storage domain:`, e));
}
