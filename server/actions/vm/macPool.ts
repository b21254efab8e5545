import { randomInt } from 'node:crypto';
import type { Tx } from '../../db.ts';

/** oVirt's default MAC pool range: 56:6f:00:00:00:00 – 56:6f:ff:ff:ff:ff (locally administered). */
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

function randomMac(): string {
  const bytes = [0x56, 0x6f, randomInt(256), randomInt(256), randomInt(256), randomInt(256)];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
