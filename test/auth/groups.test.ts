// Local groups: members added and removed through the API, a group's grants reaching its
// members, and a group removed with its permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
const roleId = async (name: string) => (await t.gql(`{ roles { id name } }`)).data.roles.find((r: { name: string }) => r.name === name).id;
const call = async (name: string, input: Record<string, unknown>) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  return (
    await t.gql(
      `mutation($i: ${type}!) { ${name}(input: $i) { __typename ... on Error { code message } ... on ValidationError { reasons { code } } } }`,
      { i: input },
    )
  ).data[name];
};

beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'G');
});
afterAll(() => t.close());

describe('local groups', () => {
  it("a member gets the group's grants; taken out, loses them", async () => {
    const vm = await mutate(t, 'addVm', { name: 'g-vm', cluster: inv.cluster.id }, 'vm');
    const ops = await mutate(t, 'addGroup', { name: 'ops' }, 'group');
    const sam = await mutate(t, 'addUser', { userName: 'sam', password: 'sampass12' }, 'user');
    await mutate(t, 'addPermission', { role: await roleId('UserRole'), group: ops.id, object: vm.id }, 'permission');
    const added = await mutate(t, 'addGroupMember', { group: ops.id, user: sam.id }, 'group');
    expect(added.id).toBe(ops.id);
    const groupView = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Group { name members { userName } } } }`, { id: ops.id })).data
      .node;
    expect(groupView).toEqual({ name: 'ops', members: [{ userName: 'sam' }] });
    expect((await t.gql(`query($id: ID!) { node(id: $id) { ... on User { groups { name } } } }`, { id: sam.id })).data.node.groups).toEqual(
      [{ name: 'ops' }],
    );
    expect(await call('addGroupMember', { group: ops.id, user: sam.id })).toMatchObject({
      __typename: 'ValidationError',
      reasons: [{ code: 'USER_ALREADY_IN_GROUP' }],
    });

    let token = await t.login('sam', 'sampass12');
    expect((await t.gqlAs(token, '{ vms { edges { node { name } } } }')).data.vms.edges).toEqual([{ node: { name: 'g-vm' } }]);
    await mutate(t, 'removeGroupMember', { group: ops.id, user: sam.id }, 'group');
    token = await t.login('sam', 'sampass12');
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).data.vms.totalCount).toBe(0);
  });

  it('refuses members of a directory group', async () => {
    const dirGroup = await mutate(t, 'addGroup', { name: 'ldap-admins', domain: 'corp.example.org' }, 'group');
    const kim = await mutate(t, 'addUser', { userName: 'kim', password: 'kimpass123' }, 'user');
    expect(await call('addGroupMember', { group: dirGroup.id, user: kim.id })).toMatchObject({
      __typename: 'ValidationError',
      reasons: [{ code: 'GROUP_IN_DIRECTORY' }],
    });
    expect(await t.engine.db.groupMembership.count()).toBe(0);
  });

  it('removes a group with its memberships and permissions', async () => {
    const devs = await mutate(t, 'addGroup', { name: 'devs' }, 'group');
    const lee = await mutate(t, 'addUser', { userName: 'lee', password: 'leepass123' }, 'user');
    await mutate(t, 'addGroupMember', { group: devs.id, user: lee.id }, 'group');
    await mutate(t, 'addPermission', { role: await roleId('ClusterAdmin'), group: devs.id, object: inv.cluster.id }, 'permission');
    const before = await t.engine.db.permission.count();
    await mutate(t, 'removeGroup', { id: devs.id }, 'removed');
    expect(await t.engine.db.permission.count()).toBe(before - 1);
    expect((await t.gql(`query($id: ID!) { node(id: $id) { ... on User { groups { name } } } }`, { id: lee.id })).data.node.groups).toEqual(
      [],
    );
    expect((await t.engine.db.auditLog.findFirst({ where: { code: 'GROUP_REMOVED' } }))?.message).toBe(
      'Group devs@internal was removed by admin@internal.',
    );
  });
});
