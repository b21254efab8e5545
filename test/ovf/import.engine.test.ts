// importVm through GraphQL against a real engine: the four real descriptors of shared/fixtures/ovf
// (values from SOURCES.md), warnings, preview and dry run, duplicates and clones, bad input, permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { own, shared } from './descriptors.ts';
import { rawTar } from './packages.ts';
import { gqlUpload, IMPORT, importOk, PREVIEW, snapshotCounts, uuidOf, vmNode } from './engineSupport.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
let second: { id: string };
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'I');
  storageHost = await startStorageHost(t, inv.cluster.id); // the data center's image work
  second = await mutate(
    t,
    'addStorageDomain',
    { name: 'I-data2', dataCenter: inv.dc.id, path: 'nfs:/data2', capacityBytes: 50 * GiB },
    'storageDomain',
  );
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const codes = (warnings: { code: string }[]) => [...new Set(warnings.map((w) => w.code))].sort();

describe('importing the real descriptors', () => {
  it('oVirt engine OVF (exporttedVM): keeps its ids, 1 image disk, the LUN and snapshots as warnings', async () => {
    const { vm, warnings } = await importOk(t, {
      ovf: shared('ovirt-engine_vmOvfData.xml'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
    });
    expect(uuidOf(vm.id)).toBe('70f24c82-a7b8-4e0b-9192-cffd5705cf5c');
    const node = await vmNode(t, vm.id);
    expect(node).toEqual({
      id: vm.id,
      name: 'exporttedVM',
      description: expect.any(String),
      status: 'DOWN',
      osType: 'other',
      cpuSockets: 1,
      cpuCores: 1,
      cpuThreads: 1,
      vcpus: 1,
      memoryMb: 1024,
      guaranteedMemoryMb: 1024,
      displayType: 'SPICE',
      template: null,
      cluster: { name: 'I-cluster' },
      nics: [],
      diskAttachments: [
        {
          bootable: true,
          interface: 'VIRTIO',
          active: true,
          disk: {
            id: expect.any(String),
            alias: 'exporttedVM_Disk1',
            description: expect.any(String),
            provisionedSizeBytes: GiB,
            actualSizeBytes: MiB,
            format: 'RAW',
            sparse: true,
            shareable: false,
            storageDomain: { name: 'I-data' },
          },
        },
      ],
    });
    expect(uuidOf(node.diskAttachments[0].disk.id)).toBe('8c634412-1e8b-4ef3-bc40-b67a456e9d2f');
    expect(codes(warnings)).toEqual(
      expect.arrayContaining([
        'DIRECT_LUN',
        'LUN_NOT_IMPORTED',
        'SNAPSHOTS_NOT_IMPORTED',
        'UNSUPPORTED_DEVICE',
        'UNSUPPORTED_SECTION',
        'DISK_DATA_NOT_IMPORTED',
      ]),
    );
    expect(warnings.find((w) => w.code === 'LUN_NOT_IMPORTED')!.message).toContain('MAorTestOnlyLun_Disk1');
    expect(warnings.find((w) => w.code === 'SNAPSHOTS_NOT_IMPORTED')!.message).toContain('1 snapshot');
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'IMPORTEXPORT_IMPORT_VM', vmId: uuidOf(vm.id) } });
    expect(event.message).toBe(`VM exporttedVM was imported from an OVF by admin@internal (${warnings.length} warnings).`);
  });

  it('VMware ovftool (Win10-Liz): 4 CPUs, 6 GiB, a 128 GiB disk, the NIC on the mapped network with a pool MAC', async () => {
    const { vm, warnings } = await importOk(t, {
      ovf: shared('vmware_proxmox-qemu-server_Win10-Liz.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      networks: [{ source: 'bridged', network: inv.vmNet.id }],
    });
    const node = await vmNode(t, vm.id);
    expect(node).toMatchObject({
      name: 'Win10-Liz',
      status: 'DOWN',
      osType: 'windows_10x64',
      cpuSockets: 4,
      cpuCores: 1,
      cpuThreads: 1,
      vcpus: 4,
      memoryMb: 6144,
      nics: [{ name: 'nic1', interface: 'E1000E', linked: true, plugged: true, network: { name: 'I-vmnet' } }],
      diskAttachments: [
        {
          bootable: true,
          interface: 'VIRTIO_SCSI',
          disk: {
            alias: 'Win10-Liz_Disk1',
            provisionedSizeBytes: 128 * GiB,
            actualSizeBytes: MiB,
            format: 'COW',
            sparse: true,
            storageDomain: { name: 'I-data' },
          },
        },
      ],
    });
    expect(node.nics[0].macAddress).toMatch(/^56:6f(:[0-9a-f]{2}){4}$/);
    expect(codes(warnings)).toEqual(
      expect.arrayContaining(['USB', 'CONTROLLER_NOT_IMPORTED', 'CDROM_NOT_IMPORTED', 'UNSUPPORTED_DEVICE', 'UNMAPPED_VALUE']),
    );
    expect(
      warnings
        .filter((w) => w.code === 'CONTROLLER_NOT_IMPORTED')
        .map((w) => w.message)
        .join(' '),
    ).toContain('lsilogicsas');
  });

  it('VMware vCenter (xp-multinic): mixed capacity units, per-disk domains, an unmapped NIC left unplugged', async () => {
    const { vm, warnings } = await importOk(t, {
      ovf: shared('vmware_govmomi_xp-multinic.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      disks: [{ sourceDisk: 'vmdisk2', storageDomain: second.id }],
      networks: [{ source: 'VM Network', network: inv.vmNet.id }],
    });
    const node = await vmNode(t, vm.id);
    expect(node).toMatchObject({ name: 'xp-multinic', osType: 'windows_xp', cpuSockets: 2, cpuCores: 1, vcpus: 2, memoryMb: 512 });
    const disks = [...node.diskAttachments].sort((a: any, b: any) => a.disk.alias.localeCompare(b.disk.alias));
    expect(disks.map((a: any) => [a.disk.alias, a.disk.provisionedSizeBytes, a.disk.storageDomain.name, a.bootable])).toEqual([
      ['xp-multinic_Disk1', 1536 * MiB, 'I-data', true],
      ['xp-multinic_Disk2', 2 * GiB, 'I-data2', false],
    ]);
    expect(node.nics.map((n: any) => [n.name, n.interface, n.network?.name ?? null, n.plugged])).toEqual([
      ['nic1', 'E1000', 'I-vmnet', true],
      ['nic2', 'E1000', null, false],
    ]);
    expect(warnings.find((w) => w.code === 'NIC_NETWORK_UNMAPPED')!.message).toContain('dvportgroup-30');
    expect(
      warnings
        .filter((w) => w.code === 'UNMAPPED_VALUE')
        .map((w) => w.message)
        .join(' '),
    ).toContain('PCNet32');
  });

  it('VirtualBox (ubuntu-16.04-amd64): name from ovf:id, 64 GiB disk, the MAC from vbox:Machine', async () => {
    const { vm, warnings } = await importOk(t, {
      ovf: shared('vbox_Shubh823-Wad-Practicle_box.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      networks: [{ source: 'NAT', network: inv.vmNet.id }],
    });
    expect(uuidOf(vm.id)).toBe('2c86ea2c-f60c-4967-bea8-5d0429e9e675');
    const node = await vmNode(t, vm.id);
    expect(node).toMatchObject({
      name: 'ubuntu-16.04-amd64',
      osType: 'other_linux',
      vcpus: 1,
      memoryMb: 1024,
      nics: [{ name: 'nic1', interface: 'E1000', macAddress: '08:00:27:96:99:a9', network: { name: 'I-vmnet' } }],
      diskAttachments: [{ bootable: true, interface: 'SATA', disk: { provisionedSizeBytes: 64 * GiB, format: 'COW', sparse: true } }],
    });
    expect(codes(warnings)).toEqual(expect.arrayContaining(['CONTROLLER_NOT_IMPORTED', 'DISK_DATA_NOT_IMPORTED']));
  });

  it('an ISO in the disk section becomes a CD-ROM warning, not a disk', async () => {
    const { vm, warnings } = await importOk(t, {
      ovf: own('vbox-with-iso.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      clone: true,
    });
    const node = await vmNode(t, vm.id);
    expect(node.diskAttachments).toHaveLength(1);
    expect(node.diskAttachments[0].disk.provisionedSizeBytes).toBe(10 * GiB);
    expect(warnings.find((w) => w.code === 'CDROM_NOT_IMPORTED')!.message).toContain('installer.iso');
  });
});

describe('preview and dry run', () => {
  it('ovfImportPreview shows the VM, its disks and NICs with targets, and every warning; nothing changes', async () => {
    const before = await snapshotCounts(t);
    const res = await t.gql(PREVIEW, {
      i: {
        ovf: shared('vmware_govmomi_xp-multinic.ovf'),
        cluster: inv.cluster.id,
        storageDomain: inv.storage.id,
        name: 'xp-two',
        clone: true,
        networks: [
          { source: 'VM Network', network: inv.vmNet.id },
          { source: 'dvportgroup-30', network: null },
        ],
      },
    });
    const p = res.data.ovfImportPreview;
    expect(p.allowed).toBe(true);
    expect(p.reasons).toEqual([]);
    expect(p.vm).toMatchObject({
      producer: 'vmware',
      kind: 'VM',
      name: 'xp-two',
      osType: 'windows_xp',
      cpuSockets: 2,
      memoryMb: 512,
      displayType: 'VNC',
      sourceIdentity: null,
    });
    expect(p.vm.disks.map((d: any) => [d.sourceId, d.provisionedSizeBytes, d.storageDomain.name])).toEqual([
      ['vmdisk1', 1536 * MiB, 'I-data'],
      ['vmdisk2', 2 * GiB, 'I-data'],
    ]);
    expect(p.vm.nics.map((n: any) => [n.sourceNetwork, n.network?.name ?? null, n.macAddress, n.plugged])).toEqual([
      ['VM Network', 'I-vmnet', null, true],
      ['dvportgroup-30', null, null, true],
    ]);
    expect(codes(p.warnings)).not.toContain('NIC_NETWORK_UNMAPPED'); // mapped to null on purpose
    expect(codes(p.warnings)).toContain('CDROM_NOT_IMPORTED');
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('canImportVm and the preview give the refusals of a second import of the same VM', async () => {
    const input = { ovf: shared('ovirt-engine_vmOvfData.xml'), cluster: inv.cluster.id, storageDomain: inv.storage.id };
    const check = await t.gql(`query($i: ImportVmInput!) { canImportVm(input: $i) { allowed reasons { code } } }`, { i: input });
    expect(check.data.canImportVm.allowed).toBe(false);
    expect(check.data.canImportVm.reasons.map((r: any) => r.code)).toEqual([
      'VM_ALREADY_EXISTS',
      'VM_NAME_ALREADY_USED',
      'DISK_ALREADY_EXISTS',
    ]);
    const preview = await t.gql(PREVIEW, { i: input });
    expect(preview.data.ovfImportPreview.allowed).toBe(false);
    expect(preview.data.ovfImportPreview.vm.name).toBe('exporttedVM');
  });
});

describe('what the package says about itself', () => {
  it('an OVA without a manifest, and one with a certificate, import with warnings saying what was not checked', async () => {
    const xp = shared('vmware_govmomi_xp-multinic.ovf');
    const disks = [
      { name: 'xp-multinic-disk1.vmdk', data: Buffer.alloc(4096) },
      { name: 'xp-multinic-disk2.vmdk', data: Buffer.alloc(4096) },
    ];
    const bare = await gqlUpload(
      t,
      IMPORT,
      { cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true, name: 'xp-nomf' },
      await rawTar([{ name: 'xp.ovf', data: xp }, ...disks]),
    );
    expect(bare.data.importVm.__typename).toBe('MutationImportVmSuccess');
    expect(bare.data.importVm.imported.warnings).toContainEqual({
      code: 'OVA_NO_MANIFEST',
      message: 'The package has no manifest (.mf): the checksums of its files could not be checked.',
    });
    const signed = await gqlUpload(
      t,
      PREVIEW,
      { cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true, name: 'xp-signed' },
      await rawTar([{ name: 'xp.ovf', data: xp }, ...disks, { name: 'xp.cert', data: 'SHA256(xp.mf)= 00\n' }]),
    );
    expect(codes(signed.data.ovfImportPreview.warnings)).toEqual(expect.arrayContaining(['OVA_NO_MANIFEST', 'OVA_SIGNATURE_NOT_CHECKED']));
  });
});

describe('duplicates and clones', () => {
  it('refuses to import the same VM twice; creates nothing', async () => {
    const before = await snapshotCounts(t);
    const res = await t.gql(IMPORT, {
      i: { ovf: shared('ovirt-engine_vmOvfData.xml'), cluster: inv.cluster.id, storageDomain: inv.storage.id, name: 'other-name' },
    });
    expect(res.data.importVm).toMatchObject({ __typename: 'ValidationError', code: 'VM_ALREADY_EXISTS' });
    expect(res.data.importVm.message).toContain('clone');
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('a clone needs a free name, then gets new ids for the VM and its disks', async () => {
    const sameName = await t.gql(IMPORT, {
      i: { ovf: shared('ovirt-engine_vmOvfData.xml'), cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true },
    });
    expect(sameName.data.importVm).toMatchObject({ __typename: 'ValidationError', code: 'VM_NAME_ALREADY_USED' });
    const { vm } = await importOk(t, {
      ovf: shared('ovirt-engine_vmOvfData.xml'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      clone: true,
      name: 'exporttedVM-copy',
    });
    expect(uuidOf(vm.id)).not.toBe('70f24c82-a7b8-4e0b-9192-cffd5705cf5c');
    const node = await vmNode(t, vm.id);
    expect(node).toMatchObject({
      name: 'exporttedVM-copy',
      memoryMb: 1024,
      diskAttachments: [{ disk: { alias: 'exporttedVM_Disk1', provisionedSizeBytes: GiB } }],
    });
    expect(uuidOf(node.diskAttachments[0].disk.id)).not.toBe('8c634412-1e8b-4ef3-bc40-b67a456e9d2f');
  });

  it('refuses the same VMware VM (ovf:id="vm", no UUID) a second time under another name, by the hash of its VirtualSystem', async () => {
    const before = await snapshotCounts(t);
    const input = {
      ovf: shared('vmware_proxmox-qemu-server_Win10-Liz.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      name: 'Win10-again',
    };
    const preview = (await t.gql(PREVIEW, { i: input })).data.ovfImportPreview;
    expect(preview.allowed).toBe(false);
    expect(preview.vm.sourceIdentity).toMatch(/^sha256:[0-9a-f]{64}$/);
    const res = await t.gql(IMPORT, { i: input });
    expect(res.data.importVm).toMatchObject({ __typename: 'ValidationError', code: 'VM_ALREADY_EXISTS' });
    expect(res.data.importVm.message).toBe(
      'Cannot import VM: VM Win10-Liz was already imported from this source as Win10-Liz (same sha256); import it with clone to make a copy with new ids.',
    );
    // The same descriptor laid out differently is the same source.
    const compact = await t.gql(IMPORT, { i: { ...input, ovf: input.ovf.replace(/>\s+</g, '><') } });
    expect(compact.data.importVm.code).toBe('VM_ALREADY_EXISTS');
    expect(await snapshotCounts(t)).toEqual(before);
    // A clone is a new VM: allowed, and it claims no source (the original keeps it).
    const { vm } = await importOk(t, { ...input, clone: true, networks: [{ source: 'bridged', network: inv.vmNet.id }] });
    expect(await t.engine.db.vm.findUniqueOrThrow({ where: { id: uuidOf(vm.id) }, select: { importSource: true } })).toEqual({
      importSource: null,
    });
    const original = await t.engine.db.vm.findFirstOrThrow({ where: { name: 'Win10-Liz' }, select: { importSource: true } });
    expect(original.importSource).toBe(preview.vm.sourceIdentity);
  });

  it('refuses a VirtualBox VM twice by its machine uuid', async () => {
    const r = await t.gql(IMPORT, {
      i: {
        ovf: shared('vbox_Shubh823-Wad-Practicle_box.ovf'),
        cluster: inv.cluster.id,
        storageDomain: inv.storage.id,
        name: 'ubuntu-again',
      },
    });
    expect(r.data.importVm).toMatchObject({ __typename: 'ValidationError', code: 'VM_ALREADY_EXISTS' });
  });

  it('a clone of a VM whose MAC is taken gets a pool MAC, with a warning', async () => {
    const { vm, warnings } = await importOk(t, {
      ovf: shared('vbox_Shubh823-Wad-Practicle_box.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      clone: true,
      name: 'ubuntu-copy',
      networks: [{ source: 'NAT', network: inv.vmNet.id }],
    });
    const node = await vmNode(t, vm.id);
    expect(node.nics[0].macAddress).toMatch(/^56:6f/);
    expect(warnings.find((w) => w.code === 'MAC_REASSIGNED')!.message).toContain('08:00:27:96:99:a9');
  });
});

describe('bad input creates nothing and says why', () => {
  const refused = async (input: Record<string, unknown>) => {
    const before = await snapshotCounts(t);
    const res = await t.gql(IMPORT, { i: { cluster: inv.cluster.id, storageDomain: inv.storage.id, ...input } });
    expect(await snapshotCounts(t)).toEqual(before);
    return res.data.importVm;
  };

  it('malformed XML', async () => {
    const r = await refused({ ovf: '<Envelope><VirtualSystem></Envelope>' });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVF_MALFORMED' });
  });
  it('entity expansion (billion laughs) and XXE', async () => {
    expect(await refused({ ovf: own('billion-laughs.ovf') })).toMatchObject({ __typename: 'ValidationError', code: 'OVF_UNSAFE' });
    expect(await refused({ ovf: own('xxe.ovf') })).toMatchObject({ __typename: 'ValidationError', code: 'OVF_UNSAFE' });
  });
  it('well-formed XML that is not an OVF', async () => {
    expect(await refused({ ovf: '<html><body/></html>' })).toMatchObject({ __typename: 'ValidationError', code: 'OVF_INVALID' });
  });
  it('a descriptor over 10 MiB', async () => {
    const huge = shared('vmware_govmomi_xp-multinic.ovf').replace('</Envelope>', `<!--${'x'.repeat(10 * MiB)}--></Envelope>`);
    expect(await refused({ ovf: huge })).toMatchObject({ __typename: 'InputError', code: 'BAD_INPUT' });
  });
  it('a disk item that points at a disk the descriptor does not have', async () => {
    const broken = shared('vmware_proxmox-qemu-server_Win10-Liz.ovf').replace('ovf:/disk/vmdisk1', 'ovf:/disk/vmdisk9');
    const r = await refused({ ovf: broken });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVF_INVALID' });
    expect(r.message).toContain('vmdisk9');
  });
  it('no storage domain for the disks, a disk mapping to an unknown disk', async () => {
    const r = await refused({
      ovf: shared('vmware_govmomi_xp-multinic.ovf'),
      storageDomain: null,
      disks: [{ sourceDisk: 'vmdisk7', storageDomain: second.id }],
      name: 'xp-nosd',
      clone: true,
    });
    expect(r.reasons.map((x: any) => x.code)).toEqual([
      'OVF_DISK_NOT_IN_DESCRIPTOR',
      'OVF_DISK_NO_STORAGE_DOMAIN',
      'OVF_DISK_NO_STORAGE_DOMAIN',
    ]);
  });
  it('a storage domain without room', async () => {
    const tiny = await mutate(
      t,
      'addStorageDomain',
      { name: 'I-tiny', dataCenter: inv.dc.id, path: 'nfs:/tiny', capacityBytes: MiB },
      'storageDomain',
    );
    const r = await refused({ ovf: shared('vmware_govmomi_xp-multinic.ovf'), storageDomain: tiny.id, name: 'xp-tiny', clone: true });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'STORAGE_DOMAIN_LOW_SPACE' });
  });
  it('a network that is not attached to the cluster', async () => {
    const detached = await mutate(t, 'addNetwork', { name: 'I-detached', dataCenter: inv.dc.id, vlanId: 30 }, 'network');
    const r = await refused({
      ovf: shared('vmware_proxmox-qemu-server_Win10-Liz.ovf'),
      name: 'w10-detached',
      clone: true,
      networks: [{ source: 'bridged', network: detached.id }],
    });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'NETWORK_NOT_IN_CLUSTER' });
  });
  it('both or neither of ovf and ova', async () => {
    expect(await refused({})).toMatchObject({ __typename: 'InputError', code: 'BAD_INPUT' });
  });
  it('the refusal is in the event log', async () => {
    const event = await t.engine.db.auditLog.findFirst({ where: { code: 'USER_ACTION_REFUSED', message: { contains: 'import VM' } } });
    expect(event).not.toBeNull();
  });
});

describe('permissions', () => {
  it('a user without CREATE_VM on the cluster cannot import, dry-run or preview', async () => {
    await mutate(t, 'addUser', { userName: 'ivy', password: 'ivypass123' }, 'user');
    const token = await t.login('ivy', 'ivypass123');
    const before = await snapshotCounts(t);
    const input = {
      ovf: shared('vmware_proxmox-qemu-server_Win10-Liz.ovf'),
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      name: 'ivys-vm',
    };
    const res = await t.gqlAs(token, IMPORT, { i: input });
    expect(res.data.importVm).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const check = await t.gqlAs(token, `query($i: ImportVmInput!) { canImportVm(input: $i) { allowed reasons { code } } }`, { i: input });
    expect(check.data.canImportVm).toEqual({ allowed: false, reasons: [{ code: 'FORBIDDEN' }] });
    const preview = await t.gqlAs(token, PREVIEW, { i: input });
    expect(preview.data.ovfImportPreview).toMatchObject({ allowed: false, reasons: [{ code: 'FORBIDDEN' }], vm: null });
    expect(await snapshotCounts(t)).toEqual(before);
  });
});
