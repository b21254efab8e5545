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
  const disk = await t.gql('mutation($i: AddDiskInput!) { addDisk(input: $i) { __typename } }',
    { i: { alias: 'd', storageDomain: inv.storage.id, provisionedSizeBytes: '1073741824' } });
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
  const names = async (text: string) => (await t.gql('query($s: String) { vms(filter: { nameContains: $s }) { edges { node { name } } } }', { s: text }))
    .data.vms.edges.map((e: { node: { name: string } }) => e.node.name);
  expect(await names('%')).toEqual([]);
  expect(await names('_')).toEqual(['web_01']);
  expect(await names('b_0')).toEqual(['web_01']);
});

it('refuses a NUL character in a filter or a description as BAD_INPUT, without internal text, changing nothing', async () => {
  const filter = await t.gql('query($s: String) { vms(filter: { nameContains: $s }) { totalCount } }', { s: 'web\u0000' });
  expect(typed(filter)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  const vm = (await t.gql('{ vms(filter: { nameContains: "db-01" }) { edges { node { id description } } } }')).data.vms.edges[0].node;
  const edit = await t.gql('mutation($i: UpdateVmInput!) { updateVm(input: $i) { __typename } }', { i: { id: vm.id, description: 'a\u0000b' } });
  expect(typed(edit)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  const literal = await t.gql(`mutation { updateVm(input: { id: "${vm.id}", description: "a\\u0000b" }) { __typename } }`);
  expect(typed(literal)).toEqual([{ code: 'BAD_INPUT', unexpected: false }]);
  expect(JSON.stringify([filter, edit, literal])).not.toMatch(/prisma|\/server\//i);
  expect((await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { description } } }`, { id: vm.id })).data.node.description).toBe(vm.description);
});

it("refuses '.' and '..' as names", async () => {
  for (const name of ['.', '..']) {
    const res = await t.gql(`mutation($i: AddVmInput!) { addVm(input: $i) { __typename ... on Error { code message } } }`, { i: { name, cluster: inv.cluster.id } });
    expect(res.data.addVm).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining("may not be '.' or '..'") });
  }
});
