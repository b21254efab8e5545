// Storage domains' space over time (the storage growth report reads it): each warehouse pass
// stores one sample of every domain in a data center, its used and total bytes as the engine
// knows them then (the hosts measure file domains; disk work accounts for the others).
import type { Db } from '../db.ts';

export async function sampleStorageDomains(db: Db, now: Date): Promise<number> {
  const domains = await db.storageDomain.findMany({
    where: { dataCenterId: { not: null } },
    select: { id: true, usedBytes: true, capacityBytes: true },
  });
  const { count } = await db.storageDomainSample.createMany({
    data: domains.map((d) => ({
      storageDomainId: d.id,
      sampledAt: now,
      usedBytes: Number(d.usedBytes),
      capacityBytes: Number(d.capacityBytes),
    })),
  });
  return count;
}
