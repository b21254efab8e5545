// The memory a Down VM resumes from on its next run (oVirt's restore of a memory snapshot's memory
// volume after a preview with restoreMemory): the volume named by Vm.memoryToRestoreId, as a host
// finds its file; none when unset or the volume is gone.
import type { VolumeRef } from '../../../../protocol/storage.ts';
import type { Tx } from '../../../db.ts';
import { volumeRef } from '../../../storage/volumeRef.ts';

export async function memoryToRestore(tx: Tx, memoryVolumeId: string | null): Promise<VolumeRef | null> {
  if (!memoryVolumeId) return null;
  const volume = await tx.disk.findUnique({
    where: { id: memoryVolumeId },
    select: { id: true, imageId: true, storageDomain: { select: { id: true, path: true } } },
  });
  return volume ? volumeRef(volume.storageDomain, volume) : null;
}
