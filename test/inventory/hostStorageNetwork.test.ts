import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { runVmUp, stopVmDown } from '../support/vmPower.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
// The data center's host does the image work of every disk.
beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'H');
  storageHost = await startStorageHost(t, inv.cluster.id, 'storage-host', { bootMs: 300, shutdownMs: 300 });
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const errorOf = async (mutation: string, input: Record<string, unknown>) => {
  const typeName = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
  const res = await t.gql(`mutation($input: ${typeName}!) { ${mutation}(input: $input) { __typename ... on Error { code message } } }`, {
    input,
  });
  return res.data[mutation];
};

describe('hosts', () => {
  it('adds a host that waits for its agent, and refuses a second host at the same address', async () => {
    const host = await mutate(t, 'addHost', { name: 'h1', address: '10.1.0.1', cluster: inv.cluster.id }, 'host');
    const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { name status statusReason cluster { name } } } }`, {
      id: host.id,
    });
    expect(res.data.node).toEqual({
      name: 'h1',
      status: 'INSTALLING',
      statusReason: 'Waiting for the host agent to register.',
      cluster: { name: 'H-cluster' },
    });
    expect(await errorOf('addHost', { name: 'h2', address: '10.1.0.1', cluster: inv.cluster.id })).toMatchObject({
      __typename: 'ValidationError',
      code: 'HOST_ADDRESS_ALREADY_USED',
    });
    expect(await t.engine.db.host.count({ where: { name: 'h2' } })).toBe(0);
  });

  it('refuses to remove a host that runs VMs', async () => {
    await mutate(t, 'addHost', { name: 'h3', address: '10.1.0.3', cluster: inv.cluster.id }, 'host');
    // A VM run on the storage host (its agent reports it running there).
    const vm = await mutate(t, 'addVm', { name: 'on-host', cluster: inv.cluster.id }, 'vm');
    await runVmUp(t, vm.id, storageHost.id);
    expect(await errorOf('removeHost', { id: storageHost.gid })).toEqual({
      __typename: 'ValidationError',
      code: 'HOST_HAS_RUNNING_VMS',
      message: 'Cannot remove Host: Host storage-host is running 1 VM(s). Host storage-host is UP; move it to maintenance first.',
    });
    await stopVmDown(t, vm.id);
  });

  it('lists hosts filtered by status and cluster, sorted, with a total', async () => {
    const res = await t.gql(
      `query($c: ID!) { hosts(filter: { cluster: $c, status: [INSTALLING] }, sortBy: NAME, direction: DESC) { totalCount edges { node { name } } } }`,
      { c: inv.cluster.id },
    );
    expect(res.data.hosts.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['h3', 'h1']);
    expect(res.data.hosts.totalCount).toBe(2);
  });
});

describe('storage domains', () => {
  it('refuses a VM disk larger than the free space, and counts what disks take', async () => {
    const sd = await mutate(
      t,
      'addStorageDomain',
      { name: 'small', dataCenter: inv.dc.id, path: 'nfs:/small', capacityBytes: 10 * GiB },
      'storageDomain',
    );
    const tooBig = await errorOf('addVm', {
      name: 'big',
      cluster: inv.cluster.id,
      disks: [{ storageDomain: sd.id, provisionedSizeBytes: 20 * GiB, sparse: false }],
    });
    expect(tooBig).toMatchObject({ __typename: 'ValidationError', code: 'STORAGE_DOMAIN_LOW_SPACE' });
    expect(await t.engine.db.vm.count({ where: { name: 'big' } })).toBe(0);
    await mutate(
      t,
      'addVm',
      { name: 'fits', cluster: inv.cluster.id, disks: [{ storageDomain: sd.id, provisionedSizeBytes: 8 * GiB, sparse: false }] },
      'vm',
    );
    const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on StorageDomain { usedBytes freeBytes disks { totalCount } } } }`, {
      id: sd.id,
    });
    expect(res.data.node).toEqual({ usedBytes: 8 * GiB, freeBytes: 2 * GiB, disks: { totalCount: 1 } });
    expect(await errorOf('removeStorageDomain', { id: sd.id })).toMatchObject({ code: 'STORAGE_DOMAIN_HAS_DISKS' });
  });

  it('refuses to remove the master domain while others remain', async () => {
    expect(await errorOf('removeStorageDomain', { id: inv.storage.id })).toMatchObject({ code: 'STORAGE_DOMAIN_IS_MASTER' });
  });
});

describe('logical networks', () => {
  it('refuses a duplicate name or VLAN in the data center', async () => {
    expect(await errorOf('addNetwork', { name: 'H-vmnet', dataCenter: inv.dc.id })).toMatchObject({ code: 'NETWORK_NAME_ALREADY_USED' });
    expect(await errorOf('addNetwork', { name: 'other', dataCenter: inv.dc.id, vlanId: 10 })).toMatchObject({
      code: 'NETWORK_VLAN_IN_USE',
    });
    expect(await errorOf('addNetwork', { name: 'bad', dataCenter: inv.dc.id, vlanId: 5000 })).toMatchObject({ __typename: 'InputError' });
  });

  it('refuses to remove a network VM NICs use, or the management network', async () => {
    await mutate(t, 'addVm', { name: 'netuser', cluster: inv.cluster.id, nics: [{ name: 'nic1', network: inv.vmNet.id }] }, 'vm');
    expect(await errorOf('removeNetwork', { id: inv.vmNet.id })).toMatchObject({ code: 'NETWORK_IN_USE_BY_VMS' });
    expect(await errorOf('removeNetwork', { id: inv.mgmt.id })).toMatchObject({ code: 'NETWORK_IS_MANAGEMENT' });
  });

  it('refuses a VM NIC on a network its cluster does not have', async () => {
    const lonely = await mutate(t, 'addNetwork', { name: 'lonely', dataCenter: inv.dc.id }, 'network');
    expect(await errorOf('addVm', { name: 'nonet', cluster: inv.cluster.id, nics: [{ name: 'nic1', network: lonely.id }] })).toMatchObject({
      code: 'NETWORK_NOT_IN_CLUSTER',
    });
  });
});
