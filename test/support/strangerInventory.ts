// The inventory the cross-user probes run against: objects of every kind that belong to the
// administrator, and one user who may see only her own VM.
import { startTestEngine, type TestEngine } from './testEngine.ts';
import { buildInventory, GiB, mutate } from './inventory.ts';
import { startStorageHost } from './simulatedHosts.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE } from '../../demo/simulatedBmc.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIso, uploadIso } from './isoFiles.ts';

const roleId = async (t: TestEngine, name: string) =>
  (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === name).id;
const first = async (t: TestEngine, query: string) => {
  const res = await t.gql(query);
  return (Object.values(res.data)[0] as { edges: { node: { id: string } }[] }).edges[0]!.node.id;
};

const apiToken = async (t: TestEngine, session: string, name: string): Promise<string> =>
  (
    await t.gqlAs(
      session,
      `mutation { createApiToken(input: { name: "${name}" }) { ... on MutationCreateApiTokenSuccess { created { apiToken { id } } } } }`,
    )
  ).data.createApiToken.created.apiToken.id;

/**
 * An engine where the administrator owns one object of every Node type and Nia, a user with
 * UserRole on her own VM only, may see none of them (Role: one every user sees).
 */
export async function startStrangerInventory() {
  // The ISO domain is a real folder, under a storage root of its own.
  const root = mkdtempSync(path.join(os.tmpdir(), 'vireo-stranger-'));
  const savedRoots = process.env.VIREO_STORAGE_ROOTS;
  process.env.VIREO_STORAGE_ROOTS = root;
  const t = await startTestEngine({ engine: { fencing: { searchPath: [SIM_FENCE_DIR] } } });
  /** Per Node type, one object the user may not see. */
  const hidden: Record<string, string> = {};
  const own: Record<string, string> = {};
  const inv = await buildInventory(t, 'N');
  const mine = await mutate(t, 'addVm', { name: 'nia-vm', cluster: inv.cluster.id }, 'vm');
  const theirs = await mutate(t, 'addVm', { name: 'admin-vm', cluster: inv.cluster.id }, 'vm');
  // The host does the data center's image work (the disk below).
  const storageHost = await startStorageHost(t, inv.cluster.id, 'n-host');
  const disk = await mutate(
    t,
    'addDisk',
    { alias: 'admin-disk', storageDomain: inv.storage.id, provisionedSizeBytes: GiB, vm: theirs.id },
    'disk',
  );
  // An event rule fires on the template made below: an alert about the administrator's VM.
  const rule = await mutate(t, 'addAlertRule', { name: 'templates', kind: 'EVENT', eventCode: 'USER_ADD_VM_TEMPLATE' }, 'alertRule');
  const snapshot = await mutate(t, 'createSnapshot', { vm: theirs.id, description: 'admin-snap' }, 'snapshot');
  const template = await mutate(t, 'addTemplate', { vm: theirs.id, name: 'admin-tpl' }, 'template');
  const group = await mutate(t, 'addGroup', { name: 'admins-only' }, 'group');
  const token = await apiToken(t, t.adminToken, 'admin-tool');
  const nia = await mutate(t, 'addUser', { userName: 'nia', password: 'niapass12' }, 'user');
  await mutate(t, 'addPermission', { role: await roleId(t, 'UserRole'), user: nia.id, object: mine.id }, 'permission');
  const userToken = await t.login('nia', 'niapass12');
  const niaToken = await apiToken(t, userToken, 'nia-tool');
  const admin = (await t.gql('{ me { id } }')).data.me.id;
  mkdirSync(path.join(root, 'iso'));
  const isoDomain = await mutate(
    t,
    'addStorageDomain',
    { name: 'admin-iso', dataCenter: inv.dc.id, path: path.join(root, 'iso'), storageType: 'POSIXFS', domainType: 'ISO' },
    'storageDomain',
  );
  const iso = makeIso(root, 'admin.iso', 'ADMIN', { 'readme.txt': "the administrator's tools\n" });
  const uploaded = await uploadIso(storageHost.url, t.adminToken, isoDomain.id, 'admin.iso', readFileSync(iso));
  if (uploaded.status !== 201) throw new Error(`ISO upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  await t.engine.alerts.idle();
  Object.assign(hidden, {
    DataCenter: inv.dc.id,
    Cluster: inv.cluster.id,
    AffinityGroup: (
      await mutate(t, 'addAffinityGroup', { name: 'admin-group', cluster: inv.cluster.id, vms: [theirs.id] }, 'affinityGroup')
    ).id,
    Host: storageHost.gid,
    FenceAgent: (
      await mutate(
        t,
        'addFenceAgent',
        { host: storageHost.gid, type: SIM_FENCE_TYPE, address: '127.0.0.1', password: 'bmc-secret' },
        'fenceAgent',
      )
    ).id,
    Vm: theirs.id,
    VmNic: (await mutate(t, 'addVmNic', { vm: theirs.id, network: inv.vmNet.id }, 'nic')).id,
    StorageDomain: inv.storage.id,
    IsoImage: uploaded.body.isoImage.id,
    Network: inv.vmNet.id,
    Disk: disk.id,
    Snapshot: snapshot.id,
    Template: template.id,
    Group: group.id,
    User: admin,
    ApiToken: token,
    AlertRule: rule.id,
    ReportSchedule: (
      await mutate(
        t,
        'addReportSchedule',
        { name: 'admin-report', kind: 'INVENTORY', windowHours: 24, format: 'CSV', cron: '0 6 * * *', emailTo: [] },
        'reportSchedule',
      )
    ).id,
    Webhook: (
      await mutate(
        t,
        'addWebhook',
        { name: 'admin-hook', url: 'http://127.0.0.1:9/hook', query: 'subscription { events { code } }', secret: '0123456789abcdef' },
        'webhook',
      )
    ).id,
    Alert: await first(t, '{ alerts(first: 1) { edges { node { id } } } }'),
    Event: await first(t, `{ events(first: 1, filter: { vm: "${theirs.id}" }) { edges { node { id } } } }`),
    Job: await first(t, '{ jobs(first: 1) { edges { node { id } } } }'),
    // The administrator's SuperUser grant on System.
    Permission: (await t.gql('{ permissions { id } }')).data.permissions[0].id,
    Role: await roleId(t, 'SuperUser'),
    Tag: (await mutate(t, 'addTag', { name: 'admin-tag' }, 'tag')).id,
    SavedSearch: (await mutate(t, 'saveSearch', { name: 'admin-search', query: 'status=up', table: 'VMS' }, 'savedSearch')).id,
  });
  Object.assign(own, { Vm: mine.id, User: nia.id, ApiToken: niaToken });
  return {
    t,
    hidden,
    own,
    userToken,
    async close() {
      await storageHost.stop();
      await t.close();
      if (savedRoots === undefined) delete process.env.VIREO_STORAGE_ROOTS;
      else process.env.VIREO_STORAGE_ROOTS = savedRoots;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
