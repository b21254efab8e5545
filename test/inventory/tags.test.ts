// Tags through the API: administrators make them, whoever may edit a VM or host tags it, with
// dry runs, refusals and events; Vm.tags and Host.tags show them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate, userWithRole } from '../support/inventory.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;

beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'tg');
});
afterAll(async () => {
  await t.close();
});

const RESULT = `__typename ... on Error { code message } ... on ValidationError { reasons { code message } }`;

async function run(token: string | null, name: string, input: Record<string, unknown>, fields = '') {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const res = await t.gqlAs(
    token ?? t.adminToken,
    `mutation($i: ${type}Input!) { ${name}(input: $i) { ${RESULT} ${fields ? `... on Mutation${type}Success { ${fields} }` : ''} } }`,
    { i: input },
  );
  return res.data?.[name] ?? res;
}

const tagsOf = async (id: string) =>
  (await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { tags { name colour } } ... on Host { tags { name colour } } } }', { id }))
    .data.node.tags;

describe('tags', () => {
  it('an administrator adds, edits and removes tags; names are unique and colours checked', async () => {
    const db = await run(null, 'addTag', { name: 'db', description: 'databases', colour: '#336699' }, 'tag { id name description colour }');
    expect(db).toMatchObject({ __typename: 'MutationAddTagSuccess', tag: { name: 'db', description: 'databases', colour: '#336699' } });
    const again = await run(null, 'addTag', { name: 'db' });
    expect(again.reasons).toEqual([{ code: 'TAG_NAME_ALREADY_USED', message: 'The name db is already used by another Tag.' }]);
    const badColour = await run(null, 'addTag', { name: 'web', colour: 'blue' });
    expect(badColour.__typename).toBe('InputError');
    expect(badColour.message).toContain('colour: must be a colour #rrggbb');
    const tmp = await mutate(t, 'addTag', { name: 'tmp' }, 'tag');
    const renamed = await run(null, 'updateTag', { id: tmp.id, name: 'scratch', colour: null }, 'tag { name colour }');
    expect(renamed.tag).toEqual({ name: 'scratch', colour: null });
    expect((await t.gql('{ tags { name } }')).data.tags).toEqual([{ name: 'db' }, { name: 'scratch' }]);
    expect((await run(null, 'removeTag', { id: tmp.id }, 'removed { id }')).removed.id).toBe(tmp.id);
    expect((await t.gql('{ tags { name } }')).data.tags).toEqual([{ name: 'db' }]);
    const events = await t.gql('{ events(first: 10, filter: { messageContains: "Tag " }) { edges { node { code message } } } }');
    expect(events.data.events.edges.map((e: { node: { code: string } }) => e.node.code).sort()).toEqual([
      'USER_ADD_TAG',
      'USER_ADD_TAG',
      'USER_REMOVE_TAG',
      'USER_UPDATE_TAG',
    ]);
  });

  it('tags and untags VMs and hosts, with dry runs, refusals and events', async () => {
    const tag = await mutate(t, 'addTag', { name: 'prod' }, 'tag');
    const vm = await mutate(t, 'addVm', { name: 'tg-vm1', cluster: inv.cluster.id }, 'vm');
    const host = await mutate(t, 'addHost', { name: 'tg-h1', address: '10.9.0.1', cluster: inv.cluster.id }, 'host');
    const can = await t.gql('query($i: TagVmInput!) { canTagVm(input: $i) { allowed reasons { code } } }', {
      i: { vm: vm.id, tag: tag.id },
    });
    expect(can.data.canTagVm).toEqual({ allowed: true, reasons: [] });
    expect(await tagsOf(vm.id)).toEqual([]); // a dry run changes nothing

    const tagged = await run(null, 'tagVm', { vm: vm.id, tag: tag.id }, 'vm { name tags { name } }');
    expect(tagged.vm).toEqual({ name: 'tg-vm1', tags: [{ name: 'prod' }] });
    const twice = await run(null, 'tagVm', { vm: vm.id, tag: tag.id });
    expect(twice.reasons).toEqual([{ code: 'TAG_ALREADY_ATTACHED', message: 'VM tg-vm1 already has tag prod.' }]);
    expect((await run(null, 'tagHost', { host: host.id, tag: tag.id }, 'host { tags { name } }')).host.tags).toEqual([{ name: 'prod' }]);
    expect(await tagsOf(host.id)).toEqual([{ name: 'prod', colour: null }]);

    expect((await run(null, 'untagVm', { vm: vm.id, tag: tag.id }, 'vm { tags { name } }')).vm.tags).toEqual([]);
    const notThere = await run(null, 'untagVm', { vm: vm.id, tag: tag.id });
    expect(notThere.reasons).toEqual([{ code: 'TAG_NOT_ATTACHED', message: 'VM tg-vm1 does not have tag prod.' }]);
    expect((await run(null, 'untagHost', { host: host.id, tag: tag.id }, 'host { tags { name } }')).host.tags).toEqual([]);

    const events = await t.gql('{ events(first: 10, filter: { messageContains: "Tag prod was" }) { edges { node { message } } } }');
    expect(events.data.events.edges.map((e: { node: { message: string } }) => e.node.message).sort()).toEqual([
      'New Tag prod was created by admin@internal.',
      'Tag prod was attached to Host tg-h1 by admin@internal.',
      'Tag prod was attached to VM tg-vm1 by admin@internal.',
      'Tag prod was detached from Host tg-h1 by admin@internal.',
      'Tag prod was detached from VM tg-vm1 by admin@internal.',
    ]);

    // Removing a tag takes it off what had it.
    await mutate(t, 'tagVm', { vm: vm.id, tag: tag.id }, 'vm');
    await mutate(t, 'removeTag', { id: tag.id }, 'removed');
    expect(await tagsOf(vm.id)).toEqual([]);
  });

  it('only administrators make tags; tagging needs the right to edit the object', async () => {
    const tag = await mutate(t, 'addTag', { name: 'owned' }, 'tag');
    const mine = await mutate(t, 'addVm', { name: 'tg-mine', cluster: inv.cluster.id }, 'vm');
    const other = await mutate(t, 'addVm', { name: 'tg-other', cluster: inv.cluster.id }, 'vm');
    const manager = await userWithRole(t, 'tg-manager', 'UserVmManager', mine.id);
    const viewer = await userWithRole(t, 'tg-viewer', 'UserRole', other.id);

    const addAsUser = await run(manager, 'addTag', { name: 'mine' });
    expect(addAsUser).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect((await t.gqlAs(manager, '{ tags { name } }')).data.tags.map((x: { name: string }) => x.name)).toContain('owned');

    expect((await run(manager, 'tagVm', { vm: mine.id, tag: tag.id }, 'vm { tags { name } }')).vm.tags).toEqual([{ name: 'owned' }]);
    const dry = await t.gqlAs(viewer, 'query($i: TagVmInput!) { canTagVm(input: $i) { allowed reasons { code } } }', {
      i: { vm: other.id, tag: tag.id },
    });
    expect(dry.data.canTagVm).toEqual({ allowed: false, reasons: [{ code: 'FORBIDDEN' }] });
    expect((await run(viewer, 'tagVm', { vm: other.id, tag: tag.id })).code).toBe('FORBIDDEN');
    expect(await tagsOf(other.id)).toEqual([]);
  });
});
