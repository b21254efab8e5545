// A user-portal user sees and touches only what was granted, through every path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let mine: { id: string }, theirs: { id: string };
let userToken: string;
const roleId = async (name: string) => (await t.gql(`{ roles { id name } }`)).data.roles.find((r: any) => r.name === name).id;

beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'P');
  mine = await mutate(t, 'addVm', { name: 'pat-vm', cluster: inv.cluster.id }, 'vm');
  theirs = await mutate(t, 'addVm', { name: 'other-vm', cluster: inv.cluster.id }, 'vm');
  const pat = await mutate(t, 'addUser', { userName: 'pat', password: 'patpass12' }, 'user');
  await mutate(t, 'addPermission', { role: await roleId('UserRole'), user: pat.id, object: mine.id }, 'permission');
  userToken = await t.login('pat', 'patpass12');
});
afterAll(() => t.close());

describe('a user with UserRole on one VM', () => {
  it('lists only that VM, and counts agree', async () => {
    const res = await t.gqlAs(
      userToken,
      `{ vms { totalCount edges { node { id name } } } hosts { totalCount } clusters { totalCount } dataCenters { totalCount } }`,
    );
    expect(res.data).toEqual({
      vms: { totalCount: 1, edges: [{ node: { id: mine.id, name: 'pat-vm' } }] },
      hosts: { totalCount: 0 },
      clusters: { totalCount: 0 },
      dataCenters: { totalCount: 0 },
    });
  });

  it('cannot read another VM by node(id)', async () => {
    const res = await t.gqlAs(userToken, `query($id: ID!) { node(id: $id) { ... on Vm { name } } }`, { id: theirs.id });
    expect(res.data?.node ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('cannot change another VM, nor remove its own (UserRole has no DELETE_VM)', async () => {
    const edit = await t.gqlAs(
      userToken,
      `mutation($id: ID!) { updateVm(input: { id: $id, description: "mine now" }) { __typename ... on Error { code } } }`,
      { id: theirs.id },
    );
    expect(edit.data.updateVm).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const check = await t.gqlAs(userToken, `query($id: ID!) { canRemoveVm(input: { id: $id }) { allowed reasons { code } } }`, {
      id: mine.id,
    });
    expect(check.data.canRemoveVm).toEqual({ allowed: false, reasons: [{ code: 'FORBIDDEN' }] });
    expect((await t.engine.db.vm.findFirstOrThrow({ where: { name: 'other-vm' } })).description).toBe('');
  });

  it('cannot grant itself more', async () => {
    const pat = (await t.gqlAs(userToken, '{ me { id } }')).data.me.id;
    const res = await t.gqlAs(userToken, `mutation($r: ID!, $u: ID!) { addPermission(input: { role: $r, user: $u }) { __typename } }`, {
      r: await roleId('SuperUser'),
      u: pat,
    });
    expect(res.data.addPermission.__typename).toBe('ForbiddenError');
  });

  it('sees the events of its VM only', async () => {
    const res = await t.gqlAs(userToken, `{ events { edges { node { vmId message } } } }`);
    const vmIds = new Set(res.data.events.edges.map((e: any) => e.node.vmId));
    expect([...vmIds]).toEqual([(await t.engine.db.vm.findFirstOrThrow({ where: { name: 'pat-vm' } })).id]);
  });
});

describe('roles inherited down the tree', () => {
  it('a ClusterAdmin on the cluster manages every VM in it; revoking takes it back', async () => {
    const quinn = await mutate(t, 'addUser', { userName: 'quinn', password: 'quinnpass1' }, 'user');
    const grant = await mutate(
      t,
      'addPermission',
      { role: await roleId('ClusterAdmin'), user: quinn.id, object: inv.cluster.id },
      'permission',
    );
    const token = await t.login('quinn', 'quinnpass1');
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).data.vms.totalCount).toBe(2);
    const edit = await t.gqlAs(token, `mutation($id: ID!) { updateVm(input: { id: $id, description: "by quinn" }) { __typename } }`, {
      id: theirs.id,
    });
    expect(edit.data.updateVm.__typename).toBe('MutationUpdateVmSuccess');
    const dcEdit = await t.gqlAs(token, `mutation($id: ID!) { updateDataCenter(input: { id: $id, description: "no" }) { __typename } }`, {
      id: inv.dc.id,
    });
    expect(dcEdit.data.updateDataCenter.__typename).toBe('ForbiddenError');
    // An administrator sees the grant on the VM as inherited from the cluster, and on the cluster as its own.
    const onVm = `query($o: ID!, $i: Boolean) { permissions(object: $o, includeInherited: $i) { role { name } user { userName } objectType objectName } }`;
    const inherited = (await t.gql(onVm, { o: theirs.id, i: true })).data.permissions;
    expect(inherited).toContainEqual({
      role: { name: 'ClusterAdmin' },
      user: { userName: 'quinn' },
      objectType: 'CLUSTER',
      objectName: 'P-cluster',
    });
    expect(inherited.at(-1)).toMatchObject({ objectType: 'SYSTEM', objectName: 'System', role: { name: 'SuperUser' } });
    expect(
      (await t.gql(onVm, { o: theirs.id, i: false })).data.permissions.map((p: { user: { userName: string } | null }) => p.user?.userName),
    ).not.toContain('quinn');
    expect((await t.gql(`{ users(filter: { text: "QUIN" }) { totalCount edges { node { userName } } } }`)).data.users).toEqual({
      totalCount: 1,
      edges: [{ node: { userName: 'quinn' } }],
    });
    await mutate(t, 'removePermission', { id: grant.id }, 'removed');
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).data.vms.totalCount).toBe(0);
  });

  it('a group grant reaches the group members', async () => {
    const group = await mutate(t, 'addGroup', { name: 'devs' }, 'group');
    const rae = await mutate(t, 'addUser', { userName: 'rae', password: 'raepass12' }, 'user');
    await mutate(t, 'addGroupMember', { group: group.id, user: rae.id }, 'group');
    await mutate(t, 'addPermission', { role: await roleId('UserVmManager'), group: group.id, object: theirs.id }, 'permission');
    const token = await t.login('rae', 'raepass12');
    const res = await t.gqlAs(token, '{ vms { edges { node { name } } } }');
    expect(res.data.vms.edges).toEqual([{ node: { name: 'other-vm' } }]);
  });

  it('keeps the last SuperUser grant', async () => {
    const perms = (await t.gql('{ permissions { id role { name } } }')).data.permissions;
    const superUser = perms.find((p: any) => p.role.name === 'SuperUser');
    const res = await t.gql(`mutation($id: ID!) { removePermission(input: { id: $id }) { __typename ... on Error { code } } }`, {
      id: superUser.id,
    });
    expect(res.data.removePermission).toEqual({ __typename: 'ValidationError', code: 'LAST_SUPER_USER' });
  });

  it('a custom role grants exactly its action groups; a role in use or built in is not removed', async () => {
    const role = await mutate(t, 'addRole', { name: 'VmEditor', actionGroups: ['EDIT_VM_PROPERTIES'] }, 'role');
    const sam = await mutate(t, 'addUser', { userName: 'sam', password: 'sampass12' }, 'user');
    await mutate(t, 'addPermission', { role: role.id, user: sam.id, object: mine.id }, 'permission');
    const token = await t.login('sam', 'sampass12');
    const edit = await t.gqlAs(token, `mutation($id: ID!) { updateVm(input: { id: $id, description: "edited" }) { __typename } }`, {
      id: mine.id,
    });
    expect(edit.data.updateVm.__typename).toBe('MutationUpdateVmSuccess');
    const remove = await t.gqlAs(token, `mutation($id: ID!) { removeVm(input: { id: $id }) { __typename } }`, { id: mine.id });
    expect(remove.data.removeVm.__typename).toBe('ForbiddenError');
    const inUse = await t.gql(`mutation($id: ID!) { removeRole(input: { id: $id }) { __typename ... on Error { code } } }`, {
      id: role.id,
    });
    expect(inUse.data.removeRole.code).toBe('ROLE_IN_USE');
    const builtIn = await t.gql(`mutation($id: ID!) { removeRole(input: { id: $id }) { __typename ... on Error { code } } }`, {
      id: await roleId('UserRole'),
    });
    expect(builtIn.data.removeRole.code).toBe('ROLE_IS_BUILT_IN');
  });
});
