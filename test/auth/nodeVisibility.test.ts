// node(id) and nodes(ids) show an object only to whom its type's list shows it. Every type that
// implements Node (read from the schema, so a new one cannot be forgotten) is probed with an
// object a user with UserRole on one VM may not see.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestEngine } from '../support/testEngine.ts';
import { startStrangerInventory } from '../support/strangerInventory.ts';

let t: TestEngine;
let userToken: string;
let inventory: Awaited<ReturnType<typeof startStrangerInventory>>;
/** Per Node type, one object the user may not see (Role and Tag: ones every user sees). */
const EVERYONE = new Set(['Role', 'Tag']);
let hidden: Record<string, string>;
let own: Record<string, string>;

beforeAll(async () => {
  inventory = await startStrangerInventory();
  ({ t, userToken, hidden, own } = inventory);
});
afterAll(() => inventory?.close());

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
    Object.keys(hidden).map((type) => [type, EVERYONE.has(type) ? { __typename: type, id: hidden[type] } : null]),
  );
  expect(seen).toEqual(roleOnly);
  expect(refused).toEqual(Object.fromEntries(Object.keys(hidden).map((type) => [type, EVERYONE.has(type) ? [] : ['FORBIDDEN']])));
});

it('node(id) still shows the user its own objects', async () => {
  for (const [type, id] of Object.entries(own))
    expect((await t.gqlAs(userToken, NODE, { id })).data.node).toEqual({ __typename: type, id });
});

it('nodes(ids) keeps positions: null and FORBIDDEN where the user may not see, the object where it may', async () => {
  const ids = [own.Vm!, ...Object.values(hidden), own.User!];
  const res = await t.gqlAs(userToken, NODES, { ids });
  expect(res.data?.nodes).toEqual(
    ids.map((id) =>
      id === own.Vm || id === own.User || id === hidden.Role || id === hidden.Tag ? { __typename: expect.any(String), id } : null,
    ),
  );
  const refusedAt = (res.errors ?? []).map((e: any) => [e.path.join('.'), e.extensions.code]);
  expect(refusedAt).toEqual(ids.flatMap((_id, i) => (res.data.nodes[i] ? [] : [[`nodes.${i}`, 'FORBIDDEN']])));
  expect((await t.gql(NODES, { ids })).data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
});

it('a malformed id inside a global id is bad input, not an unexpected error', async () => {
  const res = await t.gqlAs(userToken, NODE, { id: Buffer.from('Vm:abc').toString('base64') });
  expect(res.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
});
