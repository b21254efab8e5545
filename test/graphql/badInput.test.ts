// Bad input is a typed error (BAD_INPUT, naming what was wrong), never "Unexpected error." nor
// internal text, and changes nothing. Search text is matched literally (no LIKE wildcards).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'B');
  await mutate(t, 'addVm', { name: 'web_01', cluster: inv.cluster.id }, 'vm');
  await mutate(t, 'addVm', { name: 'db-01', cluster: inv.cluster.id }, 'vm');
});
afterAll(() => t.close());

const ADD_VM = 'mutation($i: AddVmInput!) { addVm(input: $i) { __typename } }';
const count = async () => (await t.gql('{ vms { totalCount } }')).data.vms.totalCount;
const typed = (res: { errors?: { message: string; extensions?: { code?: string } }[] }) =>
  res.errors?.map((e) => ({ code: e.extensions?.code, unexpected: /Unexpected error/.test(e.message) }));

it('answers invalid variable values with BAD_INPUT naming the field, and creates nothing', async () => {
  const before = await count();
  for (const bad of [{ memoryMb: 1.5 }, { memoryMb: '1024' }, { displayType: 'NOPE' }]) {
    const res = await t.gql(ADD_VM, { i: { name: 'x', cluster: inv.cluster.id, ...bad } });
    expect(typed(res)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
    expect(res.errors![0]!.message).toContain(Object.keys(bad)[0]);
  }
  const disk = await t.gql('mutation($i: AddDiskInput!) { addDisk(input: $i) { __typename } }', {
    i: { alias: 'd', storageDomain: inv.storage.id, provisionedSizeBytes: '1073741824' },
  });
  expect(typed(disk)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  expect(await count()).toBe(before);
});

it('answers a malformed global id, a garbage cursor and a negative page size with BAD_INPUT', async () => {
  for (const query of ['{ node(id: "abc") { id } }', '{ vms(after: "garbage") { totalCount } }', '{ vms(first: -5) { totalCount } }']) {
    const res = await t.gql(query);
    expect({ query, errors: typed(res) }).toEqual({ query, errors: [{ code: 'BAD_INPUT', unexpected: false }] });
  }
});

it('matches search text literally: % and _ are not wildcards', async () => {
  const names = async (text: string) =>
    (await t.gql('query($s: String) { vms(filter: { nameContains: $s }) { edges { node { name } } } }', { s: text })).data.vms.edges.map(
      (e: { node: { name: string } }) => e.node.name,
    );
  expect(await names('%')).toEqual([]);
  expect(await names('_')).toEqual(['web_01']);
  expect(await names('b_0')).toEqual(['web_01']);
});

it('refuses a NUL character in a filter or a description as BAD_INPUT, without internal text, changing nothing', async () => {
  const filter = await t.gql('query($s: String) { vms(filter: { nameContains: $s }) { totalCount } }', { s: 'web\u0000' });
  expect(typed(filter)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  const vm = (await t.gql('{ vms(filter: { nameContains: "db-01" }) { edges { node { id description } } } }')).data.vms.edges[0].node;
  const edit = await t.gql('mutation($i: UpdateVmInput!) { updateVm(input: $i) { __typename } }', {
    i: { id: vm.id, description: 'a\u0000b' },
  });
  expect(typed(edit)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  const literal = await t.gql(`mutation { updateVm(input: { id: "${vm.id}", description: "a\\u0000b" }) { __typename } }`);
  expect(typed(literal)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  expect(JSON.stringify([filter, edit, literal])).not.toMatch(/prisma|\/server\//i);
  expect((await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { description } } }`, { id: vm.id })).data.node.description).toBe(
    vm.description,
  );
});

it("refuses '.' and '..' as names", async () => {
  for (const name of ['.', '..']) {
    const res = await t.gql(`mutation($i: AddVmInput!) { addVm(input: $i) { __typename ... on Error { code message } } }`, {
      i: { name, cluster: inv.cluster.id },
    });
    expect(res.data.addVm).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining("may not be '.' or '..'") });
  }
});

/** An action's answer to bad input: BAD_INPUT with the issues' paths, and nothing changed. */
async function refused(mutation: string, input: Record<string, unknown>) {
  const name = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
  const res = await t.gql(
    `mutation($i: ${name}!) { ${mutation}(input: $i) { __typename ... on InputError { code issues { path message } } } }`,
    { i: input },
  );
  expect(res.errors).toBeUndefined();
  return res.data[mutation] as { code: string; issues: { path: string; message: string }[] };
}

it('refuses an osType that is not a known operating system, naming the field; known ones are taken', async () => {
  const before = await count();
  for (const osType of ['windoze_95', '../../etc', '']) {
    expect(await refused('addVm', { name: 'os-x', cluster: inv.cluster.id, osType })).toEqual({
      __typename: 'InputError',
      code: 'BAD_INPUT',
      issues: [{ path: 'osType', message: expect.stringContaining('not a known operating system') }],
    });
  }
  expect(await count()).toBe(before);
  const vm = await mutate(t, 'addVm', { name: 'os-ok', cluster: inv.cluster.id, osType: 'debian_12' }, 'vm');
  expect(await refused('updateVm', { id: vm.id, osType: 'Windows 11' })).toMatchObject({ code: 'BAD_INPUT', issues: [{ path: 'osType' }] });
  expect((await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { osType } } }', { id: vm.id })).data.node.osType).toBe('debian_12');
});

it('refuses a malformed e-mail address and unsafe user names, naming the field', async () => {
  const users = async () => (await t.gql('{ users { totalCount } }')).data.users.totalCount;
  const before = await users();
  for (const email of ['not-an-address', 'a@', '@b.example', 'a b@c.example']) {
    expect(await refused('addUser', { userName: 'mailer', password: 'password123', email })).toMatchObject({
      code: 'BAD_INPUT',
      issues: [{ path: 'email' }],
    });
  }
  for (const userName of ['.', '..', '../admin']) {
    expect(await refused('addUser', { userName, password: 'password123' })).toMatchObject({
      code: 'BAD_INPUT',
      issues: [{ path: 'userName' }],
    });
  }
  expect(await users()).toBe(before);
  const ok = await mutate(t, 'addUser', { userName: 'mailer', password: 'password123', email: 'mailer@example.org' }, 'user');
  expect(await refused('updateUser', { id: ok.id, email: 'mailer at example.org' })).toMatchObject({
    code: 'BAD_INPUT',
    issues: [{ path: 'email' }],
  });
});

it('refuses interface names unsafe as Linux device names in setupNetworks, naming the field', async () => {
  const host = await mutate(t, 'addHost', { name: 'nics-host', address: '192.0.2.50', cluster: inv.cluster.id }, 'host');
  const cases: [Record<string, unknown>, string][] = [
    [{ bonds: [{ name: '../x', mode: 'LACP', nics: ['eth0', 'eth1'] }], attachments: [] }, 'bonds.0.name'],
    [{ bonds: [{ name: 'team0', mode: 'LACP', nics: ['eth0', 'eth1'] }], attachments: [] }, 'bonds.0.name'],
    [{ bonds: [{ name: 'bond0', mode: 'LACP', nics: ['..', 'eth1'] }], attachments: [] }, 'bonds.0.nics.0'],
    [{ bonds: [], attachments: [{ network: inv.vmNet.id, nic: 'eth0 up' }] }, 'attachments.0.nic'],
  ];
  for (const [input, path] of cases) {
    const answer = await refused('setupNetworks', { id: host.id, ...input });
    expect({ code: answer.code, paths: [...new Set(answer.issues.map((i) => i.path))] }).toEqual({ code: 'BAD_INPUT', paths: [path] });
  }
});

it("refuses '.' and '..' as names of every kind of object that has one", async () => {
  const dc = inv.dc.id;
  const kinds: [string, Record<string, unknown>, string][] = [
    ['addDataCenter', {}, 'name'],
    ['addCluster', { dataCenter: dc }, 'name'],
    ['addNetwork', { dataCenter: dc }, 'name'],
    ['addStorageDomain', { dataCenter: dc, path: 'nfs:/x', capacityBytes: 1 << 30 }, 'name'],
    ['addHost', { address: '192.0.2.51', cluster: inv.cluster.id }, 'name'],
    ['addDisk', { storageDomain: inv.storage.id, provisionedSizeBytes: 1 << 30 }, 'alias'],
    ['addRole', { actionGroups: ['LOGIN'] }, 'name'],
  ];
  for (const [mutation, input, field] of kinds) {
    for (const name of ['.', '..']) {
      const answer = await refused(mutation, { ...input, [field]: name });
      expect({ mutation, answer }).toMatchObject({
        mutation,
        answer: { code: 'BAD_INPUT', issues: [{ path: field, message: expect.stringContaining("may not be '.' or '..'") }] },
      });
    }
  }
});
