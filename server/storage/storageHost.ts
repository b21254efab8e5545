// Which host does a data center's image work: its storage manager (SPM, spm.ts), elected among the
// Up hosts of the data center whose agent is connected. With none, image work is refused with
// NO_HOST_FOR_STORAGE and nothing changes. Read-only work (volume info, listing images) may run on
// any Up host.
import type { Db, Tx } from '../db.ts';
import type { Engine } from '../engine.ts';
import { ValidationError, type Reason } from '../errors.ts';

export interface StorageHost {
  id: string;
  name: string;
}

const noHost = async (db: Tx | Db, dataCenterId: string): Promise<Reason> => {
  const dc = await db.dataCenter.findUnique({ where: { id: dataCenterId }, select: { name: true } });
  return {
    code: 'NO_HOST_FOR_STORAGE',
    message: `No host of Data Center ${dc?.name ?? dataCenterId} is Up with its agent connected to do the image work.`,
  };
};

/** The check of validate(): the data center has an Up host to be its SPM (whether its agent is connected is checked when the work starts). */
export async function storageHostAvailable(tx: Tx, dataCenterId: string | null): Promise<Reason | null> {
  if (!dataCenterId) return null; // the domain is not usable at all: other checks say so
  const up = await tx.host.count({ where: { status: 'UP', cluster: { dataCenterId } } });
  return up > 0 ? null : noHost(tx, dataCenterId);
}

/** The data center's SPM, to do image work now; a ValidationError (NO_HOST_FOR_STORAGE) when there is none. */
export async function storageHost(engine: Engine, dataCenterId: string, title: string): Promise<StorageHost> {
  const spm = await engine.spm.spmOf(dataCenterId);
  if (!spm) throw new ValidationError(title, [await noHost(engine.db, dataCenterId)]);
  return spm;
}
