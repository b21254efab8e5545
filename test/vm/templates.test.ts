import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { runVmUp, stopVmDown } from '../support/vmPower.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
let fast: { id: string };
beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'T');
  storageHost = await startStorageHost(t, inv.cluster.id, 'storage-host', { bootMs: 300, shutdownMs: 300 }); // the data center's image work
  fast = await mutate(
    t,
    'addStorageDomain',
    { name: 'T-fast', dataCenter: inv.dc.id, path: 'iscsi:/fast', capacityBytes: 20 * GiB },
    'storageDomain',
  );
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const used = async (name: string) => Number((await t.engine.db.storageDomain.findUniqueOrThrow({ where: { name } })).usedBytes);
const local = (gid: string) => decodeGlobalID(gid).id;
const call = async (name: string, input: Record<string, unknown>) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (await t.gql(`mutation($i: ${type}Input!) { ${name}(input: $i) { __typename ... on Error { code message } } }`, { i: input }))
    .data[name];
};
const TEMPLATE = `query($id: ID!) { node(id: $id) { ... on Template { name status cpuSockets memoryMb
  disks { id alias format sparse provisionedSizeBytes actualSizeBytes storageDomain { name } } } } }`;
const VM = `query($id: ID!) { node(id: $id) { ... on Vm { name cpuSockets memoryMb template { name }
  diskAttachments { bootable disk { alias format sparse provisionedSizeBytes actualSizeBytes chainActualSizeBytes storageDomain { name } parent { id } } } } } }`;

describe('templates', () => {
  let source: string;
  let template: string;
  let templateDisks: { id: string; alias: string; actualSizeBytes: number }[];

  it('makes a template from a Down VM: its disk chains copied, collapsed', async () => {
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'golden',
        cluster: inv.cluster.id,
        cpuSockets: 2,
        memoryMb: 2048,
        disks: [
          { alias: 'golden-os', storageDomain: inv.storage.id, provisionedSizeBytes: 8 * GiB, bootable: true },
          { alias: 'golden-swap', storageDomain: inv.storage.id, provisionedSizeBytes: GiB, format: 'RAW', sparse: false },
        ],
      },
      'vm',
    );
    source = vm.id;
    // A snapshot makes golden-os a chain of two 1 MiB volumes.
    await mutate(t, 'createSnapshot', { vm: source, description: 'pre-seal' }, 'snapshot');
    const before = await used('T-data');
    const made = await mutate(t, 'addTemplate', { vm: source, name: 'base-image', description: 'sealed' }, 'template');
    template = made.id;
    const res = (await t.gql(TEMPLATE, { id: template })).data.node;
    expect(res).toMatchObject({ name: 'base-image', status: 'OK', cpuSockets: 2, memoryMb: 2048 });
    expect(res.disks.sort((a: { alias: string }, b: { alias: string }) => a.alias.localeCompare(b.alias))).toMatchObject([
      {
        alias: 'golden-os',
        format: 'COW',
        sparse: true,
        provisionedSizeBytes: 8 * GiB,
        actualSizeBytes: 2 * MiB,
        storageDomain: { name: 'T-data' },
      },
      { alias: 'golden-swap', format: 'RAW', sparse: false, provisionedSizeBytes: GiB, actualSizeBytes: GiB },
    ]);
    templateDisks = res.disks;
    expect(await used('T-data')).toBe(before + 2 * MiB + GiB);
    expect((await t.engine.db.auditLog.findFirst({ where: { code: 'USER_ADD_VM_TEMPLATE' } }))?.message).toBe(
      'Template base-image was created from VM golden by admin@internal.',
    );
    expect(await t.engine.db.job.count({ where: { actionType: 'AddVmTemplate', status: 'FINISHED' } })).toBe(1);
    const listed = await t.gql('{ templates { totalCount edges { node { name } } } }');
    expect(listed.data.templates).toEqual({ totalCount: 1, edges: [{ node: { name: 'base-image' } }] });
  });

  it('refuses a template from a running VM, and a taken name', async () => {
    await runVmUp(t, source);
    expect(await call('addTemplate', { vm: source, name: 'hot' })).toMatchObject({ __typename: 'ValidationError', code: 'VM_IS_RUNNING' });
    await stopVmDown(t, source);
    expect(await call('addTemplate', { vm: source, name: 'base-image' })).toMatchObject({ code: 'TEMPLATE_NAME_ALREADY_USED' });
  });

  it('creates a thin VM: copy-on-write volumes over the template disks', async () => {
    const before = await used('T-data');
    const vm = await mutate(t, 'addVmFromTemplate', { template, cluster: inv.cluster.id, name: 'thin1' }, 'vm');
    const res = (await t.gql(VM, { id: vm.id })).data.node;
    expect(res).toMatchObject({ name: 'thin1', cpuSockets: 2, memoryMb: 2048, template: { name: 'base-image' } });
    expect(res.diskAttachments.map((a: { disk: { parent: { id: string } } }) => a.disk.parent.id).sort()).toEqual(
      templateDisks.map((d) => d.id).sort(),
    );
    expect(
      res.diskAttachments.every(
        (a: { disk: { format: string; sparse: boolean; actualSizeBytes: number } }) =>
          a.disk.format === 'COW' && a.disk.sparse && a.disk.actualSizeBytes === MiB,
      ),
    ).toBe(true);
    expect(res.diskAttachments.filter((a: { bootable: boolean }) => a.bootable)).toHaveLength(1);
    expect(await used('T-data')).toBe(before + 2 * MiB);
    // A snapshot of the thin VM stacks on its own volumes; the template's disk is not its to count.
    await mutate(t, 'createSnapshot', { vm: vm.id, description: 'thin-snap' }, 'snapshot');
    const after = (await t.gql(VM, { id: vm.id })).data.node;
    expect(after.diskAttachments.map((a: { disk: { chainActualSizeBytes: number } }) => a.disk.chainActualSizeBytes)).toEqual([
      2 * MiB,
      2 * MiB,
    ]);
    expect(await t.engine.db.auditLog.count({ where: { code: 'USER_ADD_VM_FROM_TEMPLATE', vmId: local(vm.id) } })).toBe(1);
  });

  it('clones a VM: full copies, space taken on the target domain', async () => {
    const before = { data: await used('T-data'), fast: await used('T-fast') };
    const vm = await mutate(
      t,
      'addVmFromTemplate',
      { template, cluster: inv.cluster.id, name: 'clone1', clone: true, storageDomain: fast.id },
      'vm',
    );
    const res = (await t.gql(VM, { id: vm.id })).data.node;
    expect(res.diskAttachments.map((a: { disk: object }) => a.disk)).toMatchObject([
      { alias: 'clone1_Disk1', format: 'COW', sparse: true, actualSizeBytes: 2 * MiB, parent: null, storageDomain: { name: 'T-fast' } },
      { alias: 'clone1_Disk2', format: 'RAW', sparse: false, actualSizeBytes: GiB, parent: null, storageDomain: { name: 'T-fast' } },
    ]);
    expect(await used('T-fast')).toBe(before.fast + GiB + 2 * MiB);
    expect(await used('T-data')).toBe(before.data);
  });

  it('refuses a clone the target domain has no room for, and a thin VM with a domain', async () => {
    const small = await mutate(
      t,
      'addStorageDomain',
      { name: 'T-small', dataCenter: inv.dc.id, path: 'iscsi:/small', capacityBytes: 100 * MiB },
      'storageDomain',
    );
    const res = await call('addVmFromTemplate', {
      template,
      cluster: inv.cluster.id,
      name: 'clone2',
      clone: true,
      storageDomain: small.id,
    });
    expect(res).toMatchObject({ __typename: 'ValidationError', code: 'STORAGE_DOMAIN_LOW_SPACE' });
    expect(await t.engine.db.vm.count({ where: { name: 'clone2' } })).toBe(0);
    expect(await call('addVmFromTemplate', { template, cluster: inv.cluster.id, name: 'thin2', storageDomain: fast.id })).toMatchObject({
      code: 'THIN_VM_DISKS_FOLLOW_TEMPLATE',
    });
  });

  it('removes a template only when no VM uses it, giving its space back', async () => {
    expect(await call('removeTemplate', { id: template })).toMatchObject({
      code: 'TEMPLATE_IN_USE',
      message: expect.stringContaining('thin1'),
    });
    // A thin VM's removal takes its volumes (removeVm does not walk snapshot chains, so its snapshot goes first).
    const thin1 = await t.engine.db.vm.findFirstOrThrow({
      where: { name: 'thin1' },
      include: { snapshots: { where: { type: 'REGULAR' } } },
    });
    await mutate(
      t,
      'removeSnapshot',
      { vm: encodeGlobalID('Vm', thin1.id), snapshot: encodeGlobalID('Snapshot', thin1.snapshots[0]!.id) },
      'removed',
    );
    for (const name of ['thin1', 'clone1']) {
      const vm = await t.engine.db.vm.findFirstOrThrow({ where: { name } });
      await mutate(t, 'removeVm', { id: encodeGlobalID('Vm', vm.id) }, 'removed');
    }
    const before = await used('T-data');
    await mutate(t, 'removeTemplate', { id: template }, 'removed');
    expect(await used('T-data')).toBe(before - 2 * MiB - GiB);
    expect(await t.engine.db.disk.count({ where: { templateId: local(template) } })).toBe(0);
  });
});

describe('template settings and NICs', () => {
  const OF_TEMPLATE = `query($id: ID!) { node(id: $id) { ... on Template { guaranteedMemoryMb highlyAvailable stateless displayType nics { name interface network { name } } } } }`;
  const OF_VM = `query($id: ID!) { node(id: $id) { ... on Vm { guaranteedMemoryMb highlyAvailable stateless displayType nics { name interface macAddress network { name } } } } }`;
  let tpl: string;
  let vmMacs: string[];

  it("keeps the VM's memory guarantee, HA, stateless, console and NICs; VMs made from it get them, with MACs of their own", async () => {
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'netted',
        cluster: inv.cluster.id,
        memoryMb: 4096,
        guaranteedMemoryMb: 1024,
        highlyAvailable: true,
        stateless: true,
        displayType: 'SPICE',
        nics: [
          { name: 'nic1', network: inv.vmNet.id },
          { name: 'nic2', interface: 'E1000' },
        ],
      },
      'vm',
    );
    vmMacs = (await t.gql(OF_VM, { id: vm.id })).data.node.nics.map((n: { macAddress: string }) => n.macAddress);
    tpl = (await mutate(t, 'addTemplate', { vm: vm.id, name: 'netted-tpl' }, 'template')).id;
    expect((await t.gql(OF_TEMPLATE, { id: tpl })).data.node).toEqual({
      guaranteedMemoryMb: 1024,
      highlyAvailable: true,
      stateless: true,
      displayType: 'SPICE',
      nics: [
        { name: 'nic1', interface: 'VIRTIO', network: { name: 'T-vmnet' } },
        { name: 'nic2', interface: 'E1000', network: null },
      ],
    });
    const made = await mutate(t, 'addVmFromTemplate', { template: tpl, cluster: inv.cluster.id, name: 'netted-2' }, 'vm');
    const res = (await t.gql(OF_VM, { id: made.id })).data.node;
    expect(res).toMatchObject({
      guaranteedMemoryMb: 1024,
      highlyAvailable: true,
      stateless: true,
      displayType: 'SPICE',
      nics: [
        { name: 'nic1', interface: 'VIRTIO', network: { name: 'T-vmnet' } },
        { name: 'nic2', interface: 'E1000', network: null },
      ],
    });
    for (const n of res.nics) expect(vmMacs).not.toContain(n.macAddress);
  });

  it('refuses a VM from it in a cluster without its networks', async () => {
    const other = await mutate(t, 'addCluster', { name: 'T-other', dataCenter: inv.dc.id }, 'cluster');
    const r = (
      await t.gql(
        `mutation($i: AddVmFromTemplateInput!) { addVmFromTemplate(input: $i) { __typename ... on ValidationError { reasons { code } } } }`,
        { i: { template: tpl, cluster: other.id, name: 'netted-3' } },
      )
    ).data.addVmFromTemplate;
    expect(r).toEqual({ __typename: 'ValidationError', reasons: [{ code: 'NETWORK_NOT_IN_CLUSTER' }] });
    expect(await t.engine.db.vm.count({ where: { name: 'netted-3' } })).toBe(0);
  });

  it('lists templates filtered, sorted and paged on the server, and the VMs made from one', async () => {
    const page1 = (
      await t.gql(`{ templates(first: 1, sortBy: NAME, direction: DESC) { totalCount edges { node { name } } pageInfo { hasNextPage } } }`)
    ).data.templates;
    expect(page1.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      [...(await t.engine.db.template.findMany()).map((x) => x.name)].sort().reverse()[0],
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(page1.totalCount > 1);
    const found = (await t.gql(`{ templates(filter: { nameContains: "NETTED" }) { totalCount edges { node { name } } } }`)).data.templates;
    expect(found).toEqual({ totalCount: 1, edges: [{ node: { name: 'netted-tpl' } }] });
    const made = (await t.gql(`query($tpl: ID!) { vms(filter: { template: $tpl }) { edges { node { name } } } }`, { tpl })).data.vms.edges;
    expect(made).toEqual([{ node: { name: 'netted-2' } }]);
    const jobs = (
      await t.gql(`{ jobs(first: 50, sortBy: DESCRIPTION, direction: ASC) { edges { node { description } } } }`)
    ).data.jobs.edges.map((e: { node: { description: string } }) => e.node.description);
    expect(jobs.length).toBeGreaterThan(1);
    expect(jobs).toEqual([...jobs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
