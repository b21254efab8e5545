// What the permission actions say about the objects and principals of a grant.
import type { Tx } from '../../db.ts';
import type { ObjectRef } from '../../auth/objects.ts';
import { NotFoundError } from '../../errors.ts';

/** The object's name, or NotFoundError: a permission is only granted on something that exists. */
export async function grantedObjectName(tx: Tx, o: ObjectRef): Promise<string> {
  const byId = { where: { id: o.id }, select: { name: true } } as const;
  const row =
    o.type === 'SYSTEM'
      ? { name: 'System' }
      : o.type === 'DATA_CENTER'
        ? await tx.dataCenter.findUnique(byId)
        : o.type === 'CLUSTER'
          ? await tx.cluster.findUnique(byId)
          : o.type === 'HOST'
            ? await tx.host.findUnique(byId)
            : o.type === 'VM'
              ? await tx.vm.findUnique(byId)
              : o.type === 'STORAGE_DOMAIN'
                ? await tx.storageDomain.findUnique(byId)
                : o.type === 'NETWORK'
                  ? await tx.network.findUnique(byId)
                  : o.type === 'TEMPLATE'
                    ? await tx.template.findUnique(byId)
                    : await tx.disk.findUnique({ where: { id: o.id }, select: { alias: true } }).then((d) => d && { name: d.alias });
  if (!row) throw new NotFoundError(o.type, o.id);
  return row.name;
}

/** user@domain or group@domain of a permission. */
export const principalName = (p: {
  user?: { userName: string; domain: string } | null;
  group?: { name: string; domain: string } | null;
}) => (p.user ? `${p.user.userName}@${p.user.domain}` : `${p.group!.name}@${p.group!.domain}`);
