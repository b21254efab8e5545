// The VM a lifecycle action works on, with its cluster and host, read once per transaction.
import type { Tx } from '../../../db.ts';
import { found } from '../../../validators/reasons.ts';

export const vmWithHost = {
  cluster: { select: { id: true, name: true, dataCenterId: true } },
  host: { select: { id: true, name: true, status: true } },
} as const;

async function queryVm(tx: Tx, vmId: string) {
  return found(await tx.vm.findUnique({ where: { id: vmId }, include: vmWithHost }), 'VM', vmId);
}
export type LoadedVm = Awaited<ReturnType<typeof queryVm>>;

/** Rows read in one transaction, by VM id: validate(), describe() and prepare() read the same VM. */
const readInTx = new WeakMap<Tx, Map<string, Promise<LoadedVm>>>();

/** The VM with its cluster and host, read once per transaction (the actions change it only after their last read). */
export function loadVm(tx: Tx, vmId: string): Promise<LoadedVm> {
  let rows = readInTx.get(tx);
  if (!rows) {
    rows = new Map();
    readInTx.set(tx, rows);
  }
  let row = rows.get(vmId);
  if (!row) {
    row = queryVm(tx, vmId);
    rows.set(vmId, row);
  }
  return row;
}
