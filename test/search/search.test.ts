// The tables' search (`filter.search` of vms and hosts): the syntax evaluated in the engine, its
// typed errors, and saved searches kept per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate, userWithRole } from '../support/inventory.ts';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  const a = await buildInventory(t, 'prod');
  const b = await buildInventory(t, 'test');
  const db = await mutate(t, 'addTag', { name: 'db' }, 'tag');
  const web = await mutate(t, 'addTag', { name: 'web' }, 'tag');
  const vms: Record<string, string> = {};
  for (const [name, cluster] of [
    ['web01', a.cluster.id],
    ['web02', a.cluster.id],
    ['web_x', b.cluster.id],
    ['db01', a.cluster.id],
    ['db02', b.cluster.id],
    ['mail', b.cluster.id],
  ] as const)
    vms[name] = (await mutate(t, 'addVm', { name, cluster, highlyAvailable: name === 'db01' }, 'vm')).id;
  for (const vm of ['db01', 'db02']) await mutate(t, 'tagVm', { vm: vms[vm], tag: db.id }, 'vm');
  for (const vm of ['web01', 'web02', 'db02']) await mutate(t, 'tagVm', { vm: vms[vm], tag: web.id }, 'vm');
  const h1 = await mutate(t, 'addHost', { name: 'node1', address: '10.7.0.1', cluster: a.cluster.id }, 'host');
  await mutate(t, 'addHost', { name: 'node2', address: '10.7.0.2', cluster: b.cluster.id }, 'host');
  await mutate(t, 'tagHost', { host: h1.id, tag: db.id }, 'host');
});
afterAll(async () => {
  await t.close();
});

async function vms(search: string, token = t.adminToken) {
  const res = await t.gqlAs(token, 'query($s: String) { vms(first: 50, filter: { search: $s }) { totalCount edges { node { name } } } }', {
    s: search,
  });
  if (res.errors) return res.errors;
  expect(res.data.vms.totalCount).toBe(res.data.vms.edges.length);
  return res.data.vms.edges.map((e: { node: { name: string } }) => e.node.name);
}
async function hosts(search: string) {
  const res = await t.gql('query($s: String) { hosts(filter: { search: $s }) { edges { node { name } } } }', { s: search });
  if (res.errors) return res.errors;
  return res.data.hosts.edges.map((e: { node: { name: string } }) => e.node.name);
}

describe('search', () => {
  it('finds VMs by name patterns, status, cluster, data center, tag and flags, all terms at once', async () => {
    expect(await vms('')).toEqual(['db01', 'db02', 'mail', 'web01', 'web02', 'web_x']);
    expect(await vms('name=web*')).toEqual(['web01', 'web02', 'web_x']);
    expect(await vms('name=WEB0*')).toEqual(['web01', 'web02']); // no case, and `_` is a letter, not a wildcard
    expect(await vms('name=*01')).toEqual(['db01', 'web01']);
    expect(await vms('name=w*1')).toEqual(['web01']);
    expect(await vms('name=web')).toEqual([]); // without a `*` the name is whole
    expect(await vms('eb')).toEqual(['web01', 'web02', 'web_x']); // a bare word: names containing it
    expect(await vms('cluster=prod-cluster')).toEqual(['db01', 'web01', 'web02']);
    expect(await vms('datacenter=test*')).toEqual(['db02', 'mail', 'web_x']);
    expect(await vms('tag=db')).toEqual(['db01', 'db02']);
    expect(await vms('tag=db,web')).toEqual(['db01', 'db02', 'web01', 'web02']);
    expect(await vms('tag=web cluster=test*')).toEqual(['db02']);
    expect(await vms('tag!=web')).toEqual(['db01', 'mail', 'web_x']);
    expect(await vms('status=down name=db*')).toEqual(['db01', 'db02']);
    expect(await vms('status=up')).toEqual([]);
    expect(await vms('status=powering*,up')).toEqual([]);
    expect(await vms('ha=true')).toEqual(['db01']);
    expect(await vms('host!=node1 template!=x*')).toEqual(['db01', 'db02', 'mail', 'web01', 'web02', 'web_x']); // none runs, none from a template
    expect(await vms('name="web_x"')).toEqual(['web_x']);
    expect(await vms('name=web_1')).toEqual([]); // `_` is no wildcard in a whole name either
  });

  it('finds hosts by name, cluster and tag', async () => {
    expect(await hosts('tag=db')).toEqual(['node1']);
    expect(await hosts('cluster=test* name=node*')).toEqual(['node2']);
    expect(await hosts('address=10.7.0.2')).toEqual(['node2']);
  });

  it('refuses an unknown key, a bad value or bad syntax with a typed error saying why', async () => {
    const unknown = await vms('colour=red');
    expect(unknown).toEqual([
      expect.objectContaining({
        message:
          'Invalid input: filter.search: Unknown search key "colour": VMs are searched by name, description, status, cluster, datacenter, host, template, tag, os, ha.',
        extensions: expect.objectContaining({ code: 'BAD_INPUT' }),
      }),
    ]);
    const status = await hosts('status=sleepy');
    expect(status[0].extensions.code).toBe('BAD_INPUT');
    expect(status[0].message).toMatch(/^Invalid input: filter\.search: status=sleepy matches no status; one of .*\bup\b.*maintenance/);
    expect((await vms('ha=maybe'))[0].message).toBe('Invalid input: filter.search: ha=maybe: write ha=true or ha=false.');
    expect((await vms('name='))[0].message).toBe('Invalid input: filter.search: name= needs a value (e.g. name=web*).');
    expect((await vms('name="web'))[0].message).toBe('Invalid input: filter.search: A double quote is not closed.');
  });

  it('searches only what the user may see', async () => {
    const mail = (await t.gql('{ vms(filter: { search: "name=mail" }) { edges { node { id } } } }')).data.vms.edges[0].node.id;
    const token = await userWithRole(t, 'search-user', 'UserRole', mail);
    expect(await vms('name=*', token)).toEqual(['mail']);
    expect(await vms('tag=db', token)).toEqual([]);
  });
});

describe('saved searches', () => {
  const SAVED = 'query($t: SearchTable) { savedSearches(table: $t) { id name table query } }';

  it('a user saves, lists, applies and removes their searches; others never see them', async () => {
    const saved = await mutate(t, 'saveSearch', { table: 'VMS', name: 'databases', query: 'tag=db status=down' }, 'savedSearch');
    await mutate(t, 'saveSearch', { table: 'HOSTS', name: 'db hosts', query: 'tag=db' }, 'savedSearch');
    const mine = (await t.gql(SAVED, { t: 'VMS' })).data.savedSearches;
    expect(mine).toEqual([{ id: saved.id, name: 'databases', table: 'VMS', query: 'tag=db status=down' }]);
    expect(await vms(mine[0].query)).toEqual(['db01', 'db02']);
    expect((await t.gql(SAVED)).data.savedSearches.map((s: { name: string }) => s.name)).toEqual(['databases', 'db hosts']);

    const again = await t.gql(
      'mutation($i: SaveSearchInput!) { saveSearch(input: $i) { __typename ... on ValidationError { reasons { code message } } } }',
      { i: { table: 'VMS', name: 'databases', query: 'colour=red' } },
    );
    expect(again.data.saveSearch.reasons).toEqual([
      {
        code: 'SEARCH_INVALID',
        message:
          'Unknown search key "colour": VMs are searched by name, description, status, cluster, datacenter, host, template, tag, os, ha.',
      },
      { code: 'SAVED_SEARCH_NAME_ALREADY_USED', message: 'The name databases is already used by another Saved Search in your searches.' },
    ]);

    const anyVm = (await t.gql('{ vms(first: 1) { edges { node { id } } } }')).data.vms.edges[0].node.id;
    const other = await userWithRole(t, 'search-other', 'UserRole', anyVm);
    expect((await t.gqlAs(other, SAVED)).data.savedSearches).toEqual([]);
    expect((await t.gqlAs(other, 'query($id: ID!) { node(id: $id) { id } }', { id: saved.id })).data.node).toBeNull();
    const steal = await t.gqlAs(
      other,
      'mutation($i: RemoveSavedSearchInput!) { removeSavedSearch(input: $i) { __typename ... on ValidationError { reasons { code } } } }',
      {
        i: { id: saved.id },
      },
    );
    expect(steal.data.removeSavedSearch.reasons).toEqual([{ code: 'SAVED_SEARCH_NOT_YOURS' }]);

    await mutate(t, 'removeSavedSearch', { id: saved.id }, 'removed');
    expect((await t.gql(SAVED, { t: 'VMS' })).data.savedSearches).toEqual([]);
  });
});
