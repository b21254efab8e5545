// After a data center's host-reached domains change, its connected hosts are told the new list
// (they then watch and report those).
import type { Engine } from '../engine.ts';
import { dataCenterConnections } from './domainConnections.ts';

/** Tells every connected host of the data center its domains now (after a domain was added or removed); a host that fails is logged. */
export async function reconnectDataCenter(engine: Engine, dataCenterId: string): Promise<void> {
  const domains = await dataCenterConnections(engine.db, dataCenterId);
  const hosts = await engine.db.host.findMany({
    where: { cluster: { dataCenterId }, status: { in: ['UP', 'NON_OPERATIONAL'] } },
    select: { id: true, name: true },
  });
  await Promise.all(
    hosts
      .filter((h) => engine.hosts.isConnected(h.id))
      .map((h) =>
        engine.hosts.storage(h, { type: 'connectStorageDomains', domains }).catch((e) => {
          console.error(`host ${h.name} did not connect its storage domains:`, e);
        }),
      ),
  );
}
