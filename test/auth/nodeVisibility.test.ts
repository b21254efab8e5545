// node(id) and nodes(ids) show an object only to whom its type's list shows it. Every type that
// implements Node (read from the schema, so a new one cannot be forgotten) is probed with an
// object a user with UserRole on one VM may not see.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE } from '../support/simulatedBmc.ts';

let t: TestEngine;
let userToken: string;
let storageHost: Awaited<ReturnType<typeof startStorageHost>> | undefined;
/** Per Node type, one object the user may not see (Role: one every user sees). */
const hidden: Record<string, string> = {};
const own: Record<string, string> = {};

const roleId = async (name: string) => (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === name).id;
const first = async (query: string) => {
  const res = await t.gql(query);
  return (Object.values(res.data)[0] as { edges: { node: { id: string } }[] }).edges[0]!.node.id;
};

const apiToken = async (session: string, name: string): Promise<string> =>
  (
    await t.gqlAs(
      session,
      `mutation { createApiToken(input: { name: "${name}" }) { ... on MutationCreateApiTokenSuccess { created { apiToken { id } } } } }`,
    )
  ).data.createApiToken.created.apiToken.id;

beforeAll(async () => {
  t = await startTestEngine({ engine: { fencing: { searchPath: [SIM_FENCE_DIR] } } });
  const inv = await buildInventory(t, 'N');
  const mine = await mutate(t, 'addVm', { name: 'nia-vm', cluster: inv.cluster.id }, 'vm');
  const theirs = await mutate(t, 'addVm', { name: 'admin-vm', cluster: inv.cluster.id }, 'vm');
  // The host does the data center's image work (the disk below).
  storageHost = await startStorageHost(t, inv.cluster.id, 'n-host');
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
  const token = await apiToken(t.adminToken, 'admin-tool');
  const nia = await mutate(t, 'addUser', { userName: 'nia', password: 'niapass12' }, 'user');
  await mutate(t, 'addPermission', { role: await roleId('UserRole'), user: nia.id, object: mine.id }, 'permission');
  userToken = await t.login('nia', 'niapass12');
  const niaToken = await apiToken(userToken, 'nia-tool');
  const admin = (await t.gql('{ me { id } }')).data.me.id;
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
    StorageDomain: inv.storage.id,
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
    Alert: await first('{ alerts(first: 1) { edges { node { id } } } }'),
    Event: await first(`{ events(first: 1, filter: { vm: "${theirs.id}" }) { edges { node { id } } } }`),
    Job: await first('{ jobs(first: 1) { edges { node { id } } } }'),
    // The administrator's SuperUser grant on System.
    Permission: (await t.gql('{ permissions { id } }')).data.permissions[0].id,
    Role: await roleId('SuperUser'),
  });
  Object.assign(own, { Vm: mine.id, User: nia.id, ApiToken: niaToken });
});
afterAll(async () => {
  await storageHost?.stop();
  await t.close();
});

const NODE = 'query($id: ID!) { node(id: $id) { __typename id } }';
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';

it('probes every Node type of the schema', async () => {
  const types = (await t.gql('{ __type(name: "Node") { possibleTypes { name } } }')).data.__type.possibleTypes.map(
    (p: { name: string }) => p.name,
  );
  expect(Object.keys(hidden).sort()).toEqual(types.sort());
});

it('node(id) refuses each object the user may not see, and the administrator gets it', async () => {
  const seen: Record<string, unknown> = {};
  const refused: Record<string, unknown> = {};
  for (const [type, id] of Object.entries(hidden)) {
    const res = await t.gqlAs(userToken, NODE, { id });
    seen[type] = res.data?.node ?? null;
    refused[type] = res.errors?.map((e) => e.extensions?.code) ?? [];
    expect((await t.gql(NODE, { id })).data.node).toEqual({ __typename: type, id });
  }
  const roleOnly = Object.fromEntries(
    Object.keys(hidden).map((type) => [type, type === 'Role' ? { __typename: 'Role', id: hidden.Role } : null]),
  );
  expect(seen).toEqual(roleOnly);
  expect(refused).toEqual(Object.fromEntries(Object.keys(hidden).map((type) => [type, type === 'Role' ? [] : ['FORBIDDEN']])));
});

it('node(id) still shows the user its own objects', async () => {
  for (const [type, id] of Object.entries(own))
    expect((await t.gqlAs(userToken, NODE, { id })).data.node).toEqual({ __typename: type, id });
});

it('nodes(ids) keeps positions: null and FORBIDDEN where the user may not see, the object where it may', async () => {
  const ids = [own.Vm!, ...Object.values(hidden), own.User!];
  const res = await t.gqlAs(userToken, NODES, { ids });
  expect(res.data?.nodes).toEqual(
    ids.map((id) => (id === own.Vm || id === own.User || id === hidden.Role ? { __typename: expect.any(String), id } : null)),
  );
  const refusedAt = (res.errors ?? []).map((e: any) => [e.path.join('.'), e.extensions.code]);
  expect(refusedAt).toEqual(ids.flatMap((_id, i) => (res.data.nodes[i] ? [] : [[`nodes.${i}`, 'FORBIDDEN']])));
  expect((await t.gql(NODES, { ids })).data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
});

it('a malformed id inside a global id is bad input, not an unexpected error', async () => {
  const res = await t.gqlAs(userToken, NODE, { id: Buffer.from('Vm:abc').toString('base64') });
  expect(res.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
});
