// Permission checks over the object tree: a role granted on an object applies to everything below.
import type { Db } from '../db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Actor } from './actor.ts';
import type { ActionGroup } from './actionGroups.ts';
import { ancestorsOf, type ObjectRef } from './objects.ts';
import { apiTokenValid } from './apiTokens.ts';

/** The engine's client or an action's transaction. */
type Reader = Prisma.TransactionClient;

function principals(actor: Actor): Prisma.PermissionWhereInput[] {
  const who: Prisma.PermissionWhereInput[] = [];
  if (actor.userId) who.push({ userId: actor.userId });
  if (actor.groupIds.length) who.push({ groupId: { in: actor.groupIds } });
  return who;
}

const sameObject = (a: ObjectRef) => (b: ObjectRef) => a.type === b.type && a.id === b.id;

/**
 * Whether the actor holds `group` on the object, directly or inherited from above it. `LOGIN` is
 * held by anyone with a permission anywhere. An API token narrows this: read-only allows nothing,
 * a scope only its role's groups on its object and below.
 */
export async function can(db: Reader, actor: Actor, group: ActionGroup, object: ObjectRef): Promise<boolean> {
  if (actor.internal) return true;
  const who = principals(actor);
  if (!who.length) return false;
  if (actor.token?.readOnly) return false;
  const chain = await ancestorsOf(db, object);
  const scope = actor.token?.scope;
  if (scope && (!scope.actionGroups.includes(group) || !chain.some(sameObject(scope.object)))) return false;
  if (group === 'LOGIN') return (await db.permission.count({ where: { OR: who } })) > 0;
  const hit = await db.permission.findFirst({
    where: { OR: who, AND: [{ OR: chain.map((o) => ({ objectType: o.type, objectId: o.id })) }], role: { actionGroups: { has: group } } },
    select: { id: true },
  });
  return hit !== null;
}

/** What an actor may see: everything (a System grant), or the objects granted and what is below them. */
export interface Visibility {
  all: boolean;
  /** A user whose session (or token) is open: sees its own account, groups, jobs and tokens. */
  principal: boolean;
  /** Holds an administrator role somewhere (sees the admin portal). */
  admin: boolean;
  dataCenterIds: string[];
  clusterIds: string[];
  hostIds: string[];
  vmIds: string[];
  storageDomainIds: string[];
  networkIds: string[];
  templateIds: string[];
}

/** `recheckSession`: for a long-lived request, check again that the session is still open. */
export async function visibilityOf(db: Db, actor: Actor, recheckSession = false): Promise<Visibility> {
  const empty: Visibility = {
    all: false,
    principal: false,
    admin: false,
    dataCenterIds: [],
    clusterIds: [],
    hostIds: [],
    vmIds: [],
    storageDomainIds: [],
    networkIds: [],
    templateIds: [],
  };
  if (actor.internal) return { ...empty, all: true, principal: true, admin: true };
  const who = principals(actor);
  if (!who.length) return empty;
  // A session ended (log-out, disabled user) or a revoked token sees nothing from then on, subscriptions included.
  if (
    recheckSession &&
    actor.sessionId &&
    (await db.session.count({ where: { id: actor.sessionId, expiresAt: { gt: new Date() } } })) === 0
  )
    return empty;
  if (recheckSession && actor.token && !(await apiTokenValid(db, actor.token.apiTokenId))) return empty;
  let perms = await db.permission.findMany({
    where: { OR: who },
    select: { objectType: true, objectId: true, role: { select: { adminRole: true } } },
  });
  const scope = actor.token?.scope;
  if (scope) {
    // A scoped token sees its object and below, as long as its user still holds something on or above it.
    const chain = await ancestorsOf(db, scope.object);
    const held = perms.filter((p) => chain.some(sameObject({ type: p.objectType, id: p.objectId })));
    perms = held.length
      ? [
          {
            objectType: scope.object.type,
            objectId: scope.object.id,
            role: { adminRole: scope.adminRole && held.some((p) => p.role.adminRole) },
          },
        ]
      : [];
  }
  const v = { ...empty, principal: true, admin: perms.some((p) => p.role.adminRole), all: perms.some((p) => p.objectType === 'SYSTEM') };
  const key = {
    DATA_CENTER: 'dataCenterIds',
    CLUSTER: 'clusterIds',
    HOST: 'hostIds',
    VM: 'vmIds',
    STORAGE_DOMAIN: 'storageDomainIds',
    NETWORK: 'networkIds',
    TEMPLATE: 'templateIds',
  } as const;
  for (const p of perms) if (p.objectType in key) v[key[p.objectType as keyof typeof key]].push(p.objectId);
  // Clusters of granted data centers, so that VM and host filters need only cluster ids.
  if (v.dataCenterIds.length) {
    const below = await db.cluster.findMany({ where: { dataCenterId: { in: v.dataCenterIds } }, select: { id: true } });
    v.clusterIds.push(...below.map((c) => c.id));
  }
  return v;
}

/** Matches no row (every model's id is a UUID). */
const NONE = { id: { in: [] as string[] } };

/**
 * Prisma filters that keep only what a visibility allows (undefined: no filter). Lists, node(id)
 * and subscriptions all filter through these (schema/nodeVisibility.ts names one per Node type).
 */
export const visible = {
  dataCenter: (v: Visibility): Prisma.DataCenterWhereInput | undefined => (v.all ? undefined : { id: { in: v.dataCenterIds } }),
  cluster: (v: Visibility): Prisma.ClusterWhereInput | undefined => (v.all ? undefined : { id: { in: v.clusterIds } }),
  /** An affinity group shows to whom may see its cluster. */
  affinityGroup: (v: Visibility): Prisma.AffinityGroupWhereInput | undefined => (v.all ? undefined : { clusterId: { in: v.clusterIds } }),
  host: (v: Visibility): Prisma.HostWhereInput | undefined =>
    v.all ? undefined : { OR: [{ id: { in: v.hostIds } }, { clusterId: { in: v.clusterIds } }] },
  vm: (v: Visibility): Prisma.VmWhereInput | undefined =>
    v.all ? undefined : { OR: [{ id: { in: v.vmIds } }, { clusterId: { in: v.clusterIds } }] },
  storageDomain: (v: Visibility): Prisma.StorageDomainWhereInput | undefined =>
    v.all ? undefined : { OR: [{ id: { in: v.storageDomainIds } }, { dataCenterId: { in: v.dataCenterIds } }] },
  network: (v: Visibility): Prisma.NetworkWhereInput | undefined =>
    v.all ? undefined : { OR: [{ id: { in: v.networkIds } }, { dataCenterId: { in: v.dataCenterIds } }] },
  disk: (v: Visibility): Prisma.DiskWhereInput | undefined =>
    v.all
      ? undefined
      : {
          OR: [
            { storageDomainId: { in: v.storageDomainIds } },
            { storageDomain: { dataCenterId: { in: v.dataCenterIds } } },
            { attachments: { some: { vm: visible.vm(v) } } },
          ],
        },
  event: (v: Visibility): Prisma.AuditLogWhereInput | undefined =>
    v.all
      ? undefined
      : {
          OR: [
            { dataCenterId: { in: v.dataCenterIds } },
            { clusterId: { in: v.clusterIds } },
            { hostId: { in: v.hostIds } },
            { vmId: { in: v.vmIds } },
            { storageDomainId: { in: v.storageDomainIds } },
          ],
        },
  template: (v: Visibility): Prisma.TemplateWhereInput | undefined =>
    v.all ? undefined : { OR: [{ id: { in: v.templateIds } }, { clusterId: { in: v.clusterIds } }] },
  snapshot: (v: Visibility): Prisma.SnapshotWhereInput | undefined => (v.all ? undefined : { vm: visible.vm(v) }),
  /** Everyone's jobs with a System grant, else the ones the user started. */
  job: (v: Visibility, actor: Actor): Prisma.JobWhereInput | undefined =>
    v.all ? undefined : v.principal ? { userName: actor.userName } : NONE,
  /** Administrators see every user (the users list); others themselves. */
  user: (v: Visibility, actor: Actor): Prisma.UserWhereInput | undefined =>
    v.admin ? undefined : v.principal && actor.userId ? { id: actor.userId } : NONE,
  group: (v: Visibility, actor: Actor): Prisma.GroupWhereInput | undefined =>
    v.admin ? undefined : v.principal ? { id: { in: actor.groupIds } } : NONE,
  permission: (v: Visibility): Prisma.PermissionWhereInput | undefined => (v.admin ? undefined : NONE),
  /** A user's own webhooks. */
  webhook: (v: Visibility, actor: Actor): Prisma.WebhookWhereInput | undefined =>
    v.principal && actor.userId ? { userId: actor.userId } : NONE,
  /** Alert rules are the administrators'. */
  alertRule: (v: Visibility): Prisma.AlertRuleWhereInput | undefined => (v.admin ? undefined : NONE),
  reportSchedule: (v: Visibility): Prisma.ReportScheduleWhereInput | undefined => (v.admin ? undefined : NONE),
  /**
   * An alert shows to whom may see the object it is about: the most specific it names (a VM, else
   * a host, a storage domain, a cluster, a data center), as `vm`, `host`… above would. Not as its
   * events: a VM's event also names its host, whose administrator may not see the VM.
   */
  alert: (v: Visibility): Prisma.AlertWhereInput | undefined => {
    if (v.all) return undefined;
    const noVm = { vmId: null };
    const noHost = { ...noVm, hostId: null };
    const noDomain = { ...noHost, storageDomainId: null };
    return {
      OR: [
        { vmId: { in: v.vmIds } },
        { vmId: { not: null }, clusterId: { in: v.clusterIds } },
        { ...noVm, hostId: { in: v.hostIds } },
        { ...noVm, hostId: { not: null }, clusterId: { in: v.clusterIds } },
        { ...noHost, storageDomainId: { in: v.storageDomainIds } },
        { ...noHost, storageDomainId: { not: null }, dataCenterId: { in: v.dataCenterIds } },
        { ...noDomain, clusterId: { in: v.clusterIds } },
        { ...noDomain, clusterId: null, dataCenterId: { in: v.dataCenterIds } },
      ],
    };
  },
  /** Its user's own tokens; everyone's to whom may manage users (the apiTokens list). */
  apiToken: (v: Visibility, actor: Actor, managesUsers: boolean): Prisma.ApiTokenWhereInput | undefined =>
    managesUsers ? undefined : v.principal && actor.userId ? { userId: actor.userId } : NONE,
};

/** Whether one row is visible, for node(id) lookups and live events. */
export const canSee = {
  dataCenter: (v: Visibility, row: { id: string }) => v.all || v.dataCenterIds.includes(row.id),
  cluster: (v: Visibility, row: { id: string }) => v.all || v.clusterIds.includes(row.id),
  host: (v: Visibility, row: { id: string; clusterId: string }) =>
    v.all || v.hostIds.includes(row.id) || v.clusterIds.includes(row.clusterId),
  vm: (v: Visibility, row: { id: string; clusterId: string }) => v.all || v.vmIds.includes(row.id) || v.clusterIds.includes(row.clusterId),
  storageDomain: (v: Visibility, row: { id: string; dataCenterId: string | null }) =>
    v.all || v.storageDomainIds.includes(row.id) || (!!row.dataCenterId && v.dataCenterIds.includes(row.dataCenterId)),
  network: (v: Visibility, row: { id: string; dataCenterId: string }) =>
    v.all || v.networkIds.includes(row.id) || v.dataCenterIds.includes(row.dataCenterId),
};
