// What a finished disk move records, shared by moveDisk's execute and by an engine restart that
// finds a live move's VM already running from the target (server/jobs/liveMoveRecovery.ts): the
// chain's rows on the target, the space moved with them, and the source image removed only once
// that is committed.
import type { Tx } from '../../db.ts';
import type { Engine } from '../../engine.ts';
import { removeVolumes } from '../../storage/hostVolumes.ts';
import { account } from './volumes.ts';
import { diskWithChain } from './diskPlacement.ts';

export const chainBytes = (chain: { actualSizeBytes: bigint }[]) => chain.reduce((sum, v) => sum + v.actualSizeBytes, 0n);

/** In the transaction: the disk's chain is on the target; returns the disk as it was and its source domain. */
export async function recordDiskMove(tx: Tx, diskId: string, targetId: string) {
  const { disk, chain } = await diskWithChain(tx, diskId);
  const source = disk.storageDomain;
  const bytes = chainBytes(chain);
  await tx.disk.updateMany({ where: { id: { in: chain.map((v) => v.id) } }, data: { storageDomainId: targetId } });
  await account(tx, source.id, -bytes);
  await account(tx, targetId, bytes);
  return { disk, source };
}

/** After the commit: the source image goes (the rows now say the disk is on the target). */
export function removeMovedSource(engine: Engine, source: { id: string; path: string; dataCenterId: string | null }, diskId: string) {
  return removeVolumes(engine, source.dataCenterId!, [{ domain: source, diskId }]);
}
