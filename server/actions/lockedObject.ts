// What a LOCKED refusal says: the locked object by its name and the action holding it, not the
// lock's raw key ("Vm:e6b43a26-…").
import type { Db } from '../db.ts';
import type { ActionLocks } from './locks.ts';
import { LockedError } from '../errors.ts';

type Namer = (db: Db, id: string) => Promise<string | null | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const name = { select: { name: true } } as const;

/** Objects locked by id: the word for the type and how to read the name. */
const BY_ID: Record<string, [string, Namer]> = {
  Vm: ['VM', async (db, id) => (await db.vm.findUnique({ where: { id }, ...name }))?.name],
  VmCancelMigration: ['the migration of VM', async (db, id) => (await db.vm.findUnique({ where: { id }, ...name }))?.name],
  Host: ['Host', async (db, id) => (await db.host.findUnique({ where: { id }, ...name }))?.name],
  Cluster: ['Cluster', async (db, id) => (await db.cluster.findUnique({ where: { id }, ...name }))?.name],
  DataCenter: ['Data Center', async (db, id) => (await db.dataCenter.findUnique({ where: { id }, ...name }))?.name],
  StorageDomain: ['Storage Domain', async (db, id) => (await db.storageDomain.findUnique({ where: { id }, ...name }))?.name],
  Disk: ['Disk', async (db, id) => (await db.disk.findUnique({ where: { id }, select: { alias: true } }))?.alias],
  Network: ['Network', async (db, id) => (await db.network.findUnique({ where: { id }, ...name }))?.name],
  Template: ['Template', async (db, id) => (await db.template.findUnique({ where: { id }, ...name }))?.name],
  User: ['User', async (db, id) => (await db.user.findUnique({ where: { id }, select: { userName: true } }))?.userName],
  Group: ['Group', async (db, id) => (await db.group.findUnique({ where: { id }, ...name }))?.name],
  Role: ['Role', async (db, id) => (await db.role.findUnique({ where: { id }, ...name }))?.name],
  AlertRule: ['Alert rule', async (db, id) => (await db.alertRule.findUnique({ where: { id }, ...name }))?.name],
  ApiToken: ['API token', async (db, id) => (await db.apiToken.findUnique({ where: { id }, ...name }))?.name],
  Webhook: ['Webhook', async (db, id) => (await db.webhook.findUnique({ where: { id }, ...name }))?.name],
  ReportSchedule: ['Report schedule', async (db, id) => (await db.reportSchedule.findUnique({ where: { id }, ...name }))?.name],
  Permission: ['a permission', async () => ''],
  Permissions: [
    'the permissions of',
    async (db, id) => {
      const user = await db.user.findUnique({ where: { id }, select: { userName: true } });
      if (user) return `user ${user.userName}`;
      const group = await db.group.findUnique({ where: { id }, ...name });
      return group ? `group ${group.name}` : null;
    },
  ],
};

/** "VM app01", "the VM name web01", "host address 10.0.0.1": the object of a lock key, read from the database. */
export async function lockedObject(db: Db, key: string): Promise<string> {
  const at = key.indexOf(':');
  const type = key.slice(0, at);
  const value = key.slice(at + 1);
  const byId = BY_ID[type];
  if (byId) {
    const [word, read] = byId;
    const found = UUID.test(value) ? await read(db, value).catch(() => null) : null;
    return found ? `${word} ${found}` : found === '' ? word : `${word} ${value}`;
  }
  if (type === 'HostAddress') return `host address ${value}`;
  const named = /^(.*)Name$/.exec(type);
  if (named) {
    const word = BY_ID[named[1]!]?.[0] ?? named[1]!;
    return `the ${/^(VM|API)\b/.test(word) ? word : word.toLowerCase()} name ${value}`;
  }
  return key;
}

/** The LOCKED error of `action`, naming the object and the action that holds it. */
export async function lockedError(db: Db, locks: ActionLocks, action: string, key: string): Promise<LockedError> {
  const holder = await locks.holder(key);
  const what = await lockedObject(db, key);
  return new LockedError(
    action,
    `${what} is locked while ${holder ? `"${holder}"` : 'another action'} is in progress; try again when it ends.`,
  );
}
