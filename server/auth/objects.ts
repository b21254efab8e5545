import type { Prisma } from '../../generated/prisma/client.ts';

/** The engine's client or an action's transaction. */
type Db = Prisma.TransactionClient;
import type { ObjectType } from '../../generated/prisma/enums.ts';

/** An object permissions can be granted on. */
export interface ObjectRef {
  type: ObjectType;
  id: string;
}

/** System, the root of the tree, has this id in permission rows. */
export const SYSTEM_ID = '00000000-0000-0000-0000-000000000000';
export const SYSTEM: ObjectRef = { type: 'SYSTEM', id: SYSTEM_ID };

/**
 * The object and everything it inherits permissions from, nearest first, ending at System:
 * VM/Host → Cluster → Data Center → System; Storage Domain/Network → Data Center; Disk → its
 * storage domain and the VMs it is attached to; Template → its cluster.
 */
export async function ancestorsOf(db: Db, ref: ObjectRef): Promise<ObjectRef[]> {
  const chain: ObjectRef[] = [ref];
  const dc = (id: string | null | undefined) => {
    if (id) chain.push({ type: 'DATA_CENTER', id });
  };
  const cluster = async (id: string | null | undefined) => {
    if (!id) return;
    chain.push({ type: 'CLUSTER', id });
    dc((await db.cluster.findUnique({ where: { id }, select: { dataCenterId: true } }))?.dataCenterId);
  };
  switch (ref.type) {
    case 'SYSTEM':
      return chain;
    case 'DATA_CENTER':
      break;
    case 'CLUSTER':
      dc((await db.cluster.findUnique({ where: { id: ref.id }, select: { dataCenterId: true } }))?.dataCenterId);
      break;
    case 'HOST':
      await cluster((await db.host.findUnique({ where: { id: ref.id }, select: { clusterId: true } }))?.clusterId);
      break;
    case 'VM':
      await cluster((await db.vm.findUnique({ where: { id: ref.id }, select: { clusterId: true } }))?.clusterId);
      break;
    case 'TEMPLATE':
      await cluster((await db.template.findUnique({ where: { id: ref.id }, select: { clusterId: true } }))?.clusterId);
      break;
    case 'STORAGE_DOMAIN':
      dc((await db.storageDomain.findUnique({ where: { id: ref.id }, select: { dataCenterId: true } }))?.dataCenterId);
      break;
    case 'NETWORK':
      dc((await db.network.findUnique({ where: { id: ref.id }, select: { dataCenterId: true } }))?.dataCenterId);
      break;
    case 'DISK': {
      const disk = await db.disk.findUnique({
        where: { id: ref.id },
        select: { storageDomain: { select: { id: true, dataCenterId: true } }, attachments: { select: { vmId: true } } },
      });
      for (const a of disk?.attachments ?? []) chain.push({ type: 'VM', id: a.vmId });
      if (disk) {
        chain.push({ type: 'STORAGE_DOMAIN', id: disk.storageDomain.id });
        dc(disk.storageDomain.dataCenterId);
      }
      break;
    }
  }
  chain.push(SYSTEM);
  return chain;
}

/** The name an administrator knows an object by ('System' for the root); null if it is gone. */
export async function objectName(db: Db, ref: ObjectRef): Promise<string | null> {
  const where = { where: { id: ref.id }, select: { name: true } } as const;
  switch (ref.type) {
    case 'SYSTEM':
      return 'System';
    case 'DATA_CENTER':
      return (await db.dataCenter.findUnique(where))?.name ?? null;
    case 'CLUSTER':
      return (await db.cluster.findUnique(where))?.name ?? null;
    case 'HOST':
      return (await db.host.findUnique(where))?.name ?? null;
    case 'VM':
      return (await db.vm.findUnique(where))?.name ?? null;
    case 'TEMPLATE':
      return (await db.template.findUnique(where))?.name ?? null;
    case 'STORAGE_DOMAIN':
      return (await db.storageDomain.findUnique(where))?.name ?? null;
    case 'NETWORK':
      return (await db.network.findUnique(where))?.name ?? null;
    case 'DISK':
      return (await db.disk.findUnique({ where: { id: ref.id }, select: { alias: true } }))?.alias ?? null;
  }
}
