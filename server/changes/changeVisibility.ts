// Which entries of the change feed a user may read: System viewers read them all; anyone else
// reads an entry while its object (an event, a VM, a host…) exists and is one their permissions
// show, as its type's list would. A removed object can no longer be placed in the tree, so its
// removal reaches System viewers only (others see it vanish from their lists and queries).
import type { Db } from '../db.ts';
import { visible, type Visibility } from '../auth/permissions.ts';
import type { ChangeRow } from './changeFeed.ts';

type Lookup = (db: Db, v: Visibility, ids: string[]) => Promise<{ id: string }[]>;
const select = { id: true } as const;

/** Each feed topic's objects among `ids` that the viewer may see. */
const SEEN: Record<string, Lookup> = {
  event: (db, v, ids) => db.auditLog.findMany({ where: { id: { in: ids }, AND: visible.event(v) }, select }),
  vm: (db, v, ids) => db.vm.findMany({ where: { id: { in: ids }, AND: visible.vm(v) }, select }),
  host: (db, v, ids) => db.host.findMany({ where: { id: { in: ids }, AND: visible.host(v) }, select }),
  cluster: (db, v, ids) => db.cluster.findMany({ where: { id: { in: ids }, AND: visible.cluster(v) }, select }),
  dataCenter: (db, v, ids) => db.dataCenter.findMany({ where: { id: { in: ids }, AND: visible.dataCenter(v) }, select }),
  storageDomain: (db, v, ids) => db.storageDomain.findMany({ where: { id: { in: ids }, AND: visible.storageDomain(v) }, select }),
  network: (db, v, ids) => db.network.findMany({ where: { id: { in: ids }, AND: visible.network(v) }, select }),
};

/** The rows the viewer may read, in their order. */
export async function visibleChanges(db: Db, v: Visibility, rows: ChangeRow[]): Promise<ChangeRow[]> {
  if (v.all) return rows;
  const ids = new Map<string, Set<string>>();
  for (const r of rows) if (r.kind !== 'removed' && SEEN[r.topic]) ids.set(r.topic, (ids.get(r.topic) ?? new Set()).add(r.entityId));
  const seen = new Set<string>();
  for (const [topic, set] of ids) for (const o of await SEEN[topic]!(db, v, [...set])) seen.add(`${topic}:${o.id}`);
  return rows.filter((r) => seen.has(`${r.topic}:${r.entityId}`));
}
