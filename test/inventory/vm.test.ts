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
  inv = await buildInventory(t, 'V');
  storageHost = await startStorageHost(t, inv.cluster.id, 'storage-host', { bootMs: 300, shutdownMs: 300 });
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const VM = `query($id: ID!) { node(id: $id) { ... on Vm { name status cpuSockets cpuCores vcpus memoryMb guaranteedMemoryMb
  nics { name macAddress network { name } } diskAttachments { bootable disk { alias provisionedSizeBytes actualSizeBytes sparse } } } } }`;

describe('VM definitions', () => {
  it('creates a Down VM with a NIC from the MAC pool and a thin disk', async () => {
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'web01',
        cluster: inv.cluster.id,
        cpuSockets: 2,
        cpuCores: 2,
        memoryMb: 4096,
        nics: [{ name: 'nic1', network: inv.vmNet.id }],
        disks: [{ storageDomain: inv.storage.id, provisionedSizeBytes: 20 * GiB, bootable: true }],
      },
      'vm',
    );
    const res = await t.gql(VM, { id: vm.id });
    expect(res.data.node).toMatchObject({
      name: 'web01',
      status: 'DOWN',
      vcpus: 4,
      memoryMb: 4096,
      guaranteedMemoryMb: 4096,
      diskAttachments: [
        { bootable: true, disk: { alias: 'web01_Disk1', provisionedSizeBytes: 20 * GiB, actualSizeBytes: 1024 * 1024, sparse: true } },
      ],
    });
    expect(res.data.node.nics[0].macAddress).toMatch(/^56:6f(:[0-9a-f]{2}){4}$/);
  });

  it('refuses a second VM of the same name in the data center', async () => {
    const res = await t.gql(
      `mutation($c: ID!) { addVm(input: { name: "web01", cluster: $c }) { __typename ... on ValidationError { code message } } }`,
      { c: inv.cluster.id },
    );
    expect(res.data.addVm).toEqual({
      __typename: 'ValidationError',
      code: 'VM_NAME_ALREADY_USED',
      message: 'Cannot add VM: The name web01 is already used by another VM in Data Center V-dc.',
    });
  });

  it('lists the operating systems a VM may name, and accepts only those', async () => {
    const list: string[] = (await t.gql('{ operatingSystems }')).data.operatingSystems;
    expect(list).toEqual(expect.arrayContaining(['other', 'rhel_9x64', 'debian_12', 'windows_2022']));
    const add = (name: string, osType: string) =>
      t.gql(`mutation($i: AddVmInput!) { addVm(input: $i) { __typename ... on InputError { code issues { path message } } } }`, {
        i: { name, cluster: inv.cluster.id, osType },
      });
    expect((await add('os-last', list.at(-1)!)).data.addVm.__typename).toBe('MutationAddVmSuccess');
    const bad = await add('os-bad', 'amiga_os');
    expect(bad.data?.addVm?.code ?? bad.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect((await t.gql('{ vms(first: 5, filter: { nameContains: "os-bad" }) { totalCount } }')).data.vms.totalCount).toBe(0);
  });

  it('refuses guaranteed memory above memory', async () => {
    const res = await t.gql(
      `mutation($c: ID!) { addVm(input: { name: "greedy", cluster: $c, memoryMb: 1024, guaranteedMemoryMb: 2048 }) { __typename ... on Error { code } } }`,
      { c: inv.cluster.id },
    );
    expect(res.data.addVm).toEqual({ __typename: 'ValidationError', code: 'VM_GUARANTEED_MEMORY_ABOVE_MEMORY' });
  });

  it('refuses hardware changes and removal while the VM runs, allows them when Down', async () => {
    const vm = await mutate(t, 'addVm', { name: 'busy', cluster: inv.cluster.id, memoryMb: 2048 }, 'vm');
    await runVmUp(t, vm.id);
    const check = await t.gql(`query($id: ID!) { canRemoveVm(input: { id: $id }) { allowed reasons { code message } } }`, { id: vm.id });
    expect(check.data.canRemoveVm).toEqual({
      allowed: false,
      reasons: [{ code: 'VM_IS_RUNNING', message: 'VM busy is UP; it must be Down.' }],
    });
    const edit = await t.gql(`mutation($id: ID!) { updateVm(input: { id: $id, memoryMb: 4096 }) { __typename ... on Error { code } } }`, {
      id: vm.id,
    });
    expect(edit.data.updateVm).toEqual({ __typename: 'ValidationError', code: 'VM_IS_RUNNING' });
    const rename = await t.gql(
      `mutation($id: ID!) { updateVm(input: { id: $id, name: "busy2", description: "renamed live" }) { __typename ... on MutationUpdateVmSuccess { vm { name description } } } }`,
      { id: vm.id },
    );
    expect(rename.data.updateVm.vm).toEqual({ name: 'busy2', description: 'renamed live' });
    await stopVmDown(t, vm.id);
    const grown = await t.gql(
      `mutation($id: ID!) { updateVm(input: { id: $id, memoryMb: 512 }) { ... on MutationUpdateVmSuccess { vm { memoryMb guaranteedMemoryMb } } } }`,
      { id: vm.id },
    );
    expect(grown.data.updateVm.vm).toEqual({ memoryMb: 512, guaranteedMemoryMb: 512 });
  });

  it('removes a VM with its disks and gives the space back', async () => {
    const before = (await t.engine.db.storageDomain.findUniqueOrThrow({ where: { name: 'V-data' } })).usedBytes;
    const vm = await mutate(
      t,
      'addVm',
      { name: 'temp', cluster: inv.cluster.id, disks: [{ storageDomain: inv.storage.id, provisionedSizeBytes: 5 * GiB, sparse: false }] },
      'vm',
    );
    expect((await t.engine.db.storageDomain.findUniqueOrThrow({ where: { name: 'V-data' } })).usedBytes).toBe(before + 5n * BigInt(GiB));
    await mutate(t, 'removeVm', { id: vm.id }, 'removed');
    expect((await t.engine.db.storageDomain.findUniqueOrThrow({ where: { name: 'V-data' } })).usedBytes).toBe(before);
    expect(await t.engine.db.disk.count({ where: { alias: 'temp_Disk1' } })).toBe(0);
  });

  it('gives one action the lock and the concurrent one a LOCKED error', async () => {
    const vm = await mutate(t, 'addVm', { name: 'contended', cluster: inv.cluster.id }, 'vm');
    const remove = (id: string) =>
      t.gql(`mutation($id: ID!) { removeVm(input: { id: $id }) { __typename ... on Error { code } } }`, { id });
    const [a, b] = await Promise.all([remove(vm.id), remove(vm.id)]);
    const outcomes = [a.data.removeVm.__typename, b.data.removeVm.__typename].sort();
    expect(outcomes).toEqual(['LockedError', 'MutationRemoveVmSuccess']);
  });

  it('filters and sorts VMs on the server', async () => {
    const res = await t.gql(
      `query($c: ID!) { vms(filter: { cluster: $c, nameContains: "WEB" }, sortBy: MEMORY, direction: DESC) { totalCount edges { node { name } } } }`,
      { c: inv.cluster.id },
    );
    expect(res.data.vms).toEqual({ totalCount: 1, edges: [{ node: { name: 'web01' } }] });
  });
});
