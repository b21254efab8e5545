import { afterAll, beforeAll, expect, it } from 'vitest';
import { mutate } from '../support/inventory.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.close());

it('refuses a query nested deeper than the limit before running it', async () => {
  const res = await t.gql(
    `{ vms(first: 1) { edges { node { cluster { vms(first: 1) { edges { node { cluster { vms(first: 1) { edges { node { cluster { vms(first: 1) { edges { node { id } } } } } } } } } } } } } } } }`,
  );
  expect(res.data?.vms ?? null).toBeNull();
  expect(res.errors?.[0]?.message).toMatch(/depth/i);
});

it('refuses a query that could return too many rows, counting connection sizes', async () => {
  const res = await t.gql(`{ vms(first: 500) { edges { node { cluster { vms(first: 500) { edges { node { id name } } } } } } } }`);
  expect(res.data?.vms ?? null).toBeNull();
  expect(res.errors?.[0]?.message).toMatch(/complexity/i);
});

it('accepts a large but bounded page', async () => {
  const res = await t.gql(`{ vms(first: 500) { totalCount edges { node { id name host { name } cluster { name } } } } }`);
  expect(res.errors).toBeUndefined();
});

it('caps a page at 500 rows; totalCount tells the client there is more', async () => {
  const dc = await mutate(t, 'addDataCenter', { name: 'L' }, 'dataCenter');
  const cluster = await mutate(t, 'addCluster', { name: 'L', dataCenter: dc.id }, 'cluster');
  // 510 VMs as a user makes them: addVm, one after another (each takes the cluster's lock).
  for (let i = 0; i < 510; i++) await mutate(t, 'addVm', { name: `l${i}`, cluster: cluster.id }, 'vm');
  const res = await t.gql(`{ vms(first: 5000) { totalCount edges { node { id } } pageInfo { hasNextPage } } }`);
  expect(res.data.vms.totalCount).toBe(510);
  expect(res.data.vms.edges).toHaveLength(500);
  expect(res.data.vms.pageInfo.hasNextPage).toBe(true);
});

it('checks filter text with the validation plugin: too long is bad input', async () => {
  const res = await t.gql(`query($s: String) { vms(filter: { nameContains: $s }) { totalCount } }`, { s: 'x'.repeat(129) });
  expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' } });
  expect(res.errors?.[0]?.message).toContain('search text is at most 128 characters');
});

it('refuses a hostile document with a typed error before looking its session up', async () => {
  let deep = 'id';
  for (let i = 0; i < 8; i++) deep = `cluster { vms(first: 1) { edges { node { ${deep} } } } }`;
  const hostile: [string, Record<string, unknown> | undefined, string][] = [
    [`{ vms(first: 1) { edges { node { ${deep} } } } }`, undefined, 'QUERY_TOO_COMPLEX'],
    ['{ vms(first: 500) { edges { node { cluster { vms(first: 500) { edges { node { id } } } } } } } }', undefined, 'QUERY_TOO_COMPLEX'],
    [`subscription { vmUpdated { ${deep} } }`, undefined, 'QUERY_TOO_COMPLEX'],
    ['query($n: Int) { vms(first: $n) { totalCount } }', { n: '1e9' }, 'BAD_INPUT'],
    ['query($s: String) { vms(filter: { nameContains: $s }) { totalCount } }', { s: 'a\u0000' }, 'BAD_INPUT'],
  ];
  const sessionReads: string[] = [];
  const stop = t.database.onQuery((sql) => {
    if (/"Session"/.test(sql)) sessionReads.push(sql);
  });
  try {
    for (const [query, variables, code] of hostile) {
      const res = await t.gql(query, variables);
      expect({ query, data: res.data ?? null, codes: res.errors?.map((e) => e.extensions?.code) }).toEqual({
        query,
        data: null,
        codes: [code],
      });
    }
  } finally {
    stop();
  }
  expect(sessionReads).toEqual([]);
  // The same documents within the limits run as the administrator (whose session is looked up).
  expect((await t.gql('query($n: Int) { vms(first: $n) { totalCount } }', { n: 1 })).data.vms.totalCount).toBeTypeOf('number');
});
