import { randomInt } from 'node:crypto';
import type { Tx } from '../../db.ts';
import type { Reason } from '../../errors.ts';
import { refuseWhen } from '../../validators/reasons.ts';

/** oVirt's default MAC pool range: 56:6f:00:00:00:00 – 56:6f:ff:ff:ff:ff (locally administered). */
const POOL_PREFIX = [0x56, 0x6f];
const POOL_RANGE = '56:6f:00:00:00:00 – 56:6f:ff:ff:ff:ff';

export async function allocateMacs(tx: Tx, count: number): Promise<string[]> {
  const macs = new Set<string>();
  while (macs.size < count) {
    const candidates = Array.from({ length: count - macs.size }, () => randomMac()).filter((m) => !macs.has(m));
    const used = await tx.vmNic.findMany({ where: { macAddress: { in: candidates } }, select: { macAddress: true } });
    const taken = new Set(used.map((u) => u.macAddress));
    for (const m of candidates) if (!taken.has(m)) macs.add(m);
  }
  return [...macs];
}

/** A MAC given by hand: in the pool's range and on no other NIC (`nicId`: the NIC it is for, which may keep its own). */
export async function macUsable(tx: Tx, mac: string, nicId?: string): Promise<Reason | null> {
  const inPool = mac.split(':').every((b, i) => i >= POOL_PREFIX.length || parseInt(b, 16) === POOL_PREFIX[i]);
  if (!inPool) return { code: 'MAC_ADDRESS_OUTSIDE_POOL', message: `MAC address ${mac} is outside the MAC pool (${POOL_RANGE}).` };
  // The other NIC's VM goes unnamed: the user may not be allowed to see it.
  const holder = await tx.vmNic.findUnique({ where: { macAddress: mac }, select: { id: true } });
  return refuseWhen(!!holder && holder.id !== nicId, 'NETWORK_MAC_ADDRESS_IN_USE', `MAC address ${mac} is already used by another NIC.`);
}

function randomMac(): string {
  const bytes = [...POOL_PREFIX, randomInt(256), randomInt(256), randomInt(256), randomInt(256)];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
