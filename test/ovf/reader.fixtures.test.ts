// The four real descriptors of shared/fixtures/ovf import to the values SOURCES.md lists.
import { describe, expect, it } from 'vitest';
import { readOvf } from '../../server/ovf/reader.ts';
import { shared } from './descriptors.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const vcpus = (c: { sockets: number; cores: number; threads: number }) => c.sockets * c.cores * c.threads;

describe('oVirt engine descriptor (vmOvfData.xml)', () => {
  const vm = readOvf(shared('ovirt-engine_vmOvfData.xml'));

  it('reads name, description, OS, CPU and memory', () => {
    expect(vm.producer).toBe('ovirt');
    expect(vm.name).toBe('exporttedVM');
    expect(vm.description).toBe('fsdf');
    expect(vm.id).toBe('70f24c82-a7b8-4e0b-9192-cffd5705cf5c');
    expect(vm.os).toEqual({ raw: 'Unassigned', type: 'other' });
    expect(vm.cpu).toEqual({ sockets: 1, cores: 1, threads: 1 });
    expect(vm.memoryMb).toBe(1024);
    expect([vm.guaranteedMemoryMb, vm.stateless]).toEqual([1024, false]); // MinAllocatedMem, IsStateless
  });

  it('is a VM made from Blank (TemplateId all zero), with a SPICE console (DefaultDisplayType 1: qxl)', () => {
    expect(vm.kind).toBe('vm');
    expect(vm.template).toBeNull();
    expect(vm.displayType).toBe('SPICE');
    expect(vm.sourceIdentity).toBe('id:70f24c82-a7b8-4e0b-9192-cffd5705cf5c');
  });

  it('reads 2 disks: the image disk and the direct LUN', () => {
    expect(vm.disks.length + vm.lunDisks.length).toBe(2);
    const [disk] = vm.disks;
    expect(disk).toEqual({
      id: '8c634412-1e8b-4ef3-bc40-b67a456e9d2f',
      imageId: 'f934b12c-1e22-4ad8-bbce-ec0b2a5defa4',
      alias: 'exporttedVM_Disk1',
      description: '',
      capacityBytes: 1 * GIB,
      populatedBytes: null,
      file: {
        id: 'f934b12c-1e22-4ad8-bbce-ec0b2a5defa4',
        href: '8c634412-1e8b-4ef3-bc40-b67a456e9d2f/f934b12c-1e22-4ad8-bbce-ec0b2a5defa4',
        sizeBytes: 1073741824,
      },
      format: 'RAW',
      sourceFormat: 'http://www.vmware.com/specifications/vmdk.html#sparse',
      sparse: true,
      interface: 'VIRTIO',
      bootable: true,
      shareable: false,
      readOnly: false,
      snapshotId: 'b60fcbad-d65a-4248-ae32-7f9411276df0',
    });
    const [lun] = vm.lunDisks;
    expect(lun).toMatchObject({
      id: 'eb331cad-8842-48d9-9c56-40b893dc8b1e',
      alias: 'MAorTestOnlyLun_Disk1',
      interface: 'VIRTIO_SCSI',
      sizeBytes: 5 * GIB,
      lunId: '36001405bb1b5071cfb44a4e9576aef7c',
    });
    expect(lun!.connections).toEqual([
      { address: '10.35.16.55', port: '3260', iqn: 'iqn.2015-07.com.mlipchuk5.redhat:444', storageType: 'ISCSI' },
    ]);
  });

  it('reads 0 NICs, the snapshots, and warns about what it cannot represent', () => {
    expect(vm.nics).toEqual([]);
    expect(vm.snapshots).toEqual([
      {
        id: 'b60fcbad-d65a-4248-ae32-7f9411276df0',
        type: 'ACTIVE',
        description: 'Active VM',
        createdAt: '2013-05-27T14:44:12.000Z',
        memory: null,
      },
      expect.objectContaining({
        id: '22eab740-c6ec-4edb-b417-c4ad9efe628a',
        type: 'REGULAR',
        description: 'snap',
        createdAt: '2017-09-10T13:22:45.000Z',
      }),
    ]);
    expect(vm.snapshots[1]!.memory).toMatch(/^44b6c877-.*,878da22e-6d07-4f38-aa55-8f698e678421$/);
    const text = vm.warnings.map((w) => `${w.code} ${w.message}`).join('\n');
    expect(text).toMatch(/DIRECT_LUN .*MAorTestOnlyLun_Disk1/);
    expect(text).not.toMatch(/video\/qxl/); // the qxl card of its SPICE console: represented by the display type
    expect(text).toMatch(/UNSUPPORTED_DEVICE .*balloon/);
    expect(text).toMatch(/UNSUPPORTED_DEVICE .*sound\/ich6/);
    expect(text).toMatch(/AffinityGroupsSection/);
    expect(text).toMatch(/AffinityLabelsSection/);
    expect(text).not.toMatch(/USB/); // UsbPolicy DISABLED: nothing to represent
    // Every general field is either read, bookkeeping, or at the value that means "not used".
    expect(vm.warnings.filter((w) => w.code === 'UNSUPPORTED_SETTING' || w.code === 'BOOT_ORDER')).toEqual([]);
  });
});

describe('VMware ovftool descriptor (Win10-Liz)', () => {
  const vm = readOvf(shared('vmware_proxmox-qemu-server_Win10-Liz.ovf'));

  it('reads the VM', () => {
    expect(vm.producer).toBe('vmware');
    expect(vm.name).toBe('Win10-Liz');
    expect(vm.os).toEqual({ raw: 'windows9_64Guest', type: 'windows_10x64' });
    expect(vcpus(vm.cpu)).toBe(4);
    expect(vm.memoryMb).toBe(6144);
  });

  it('reads 1 disk of 128 GiB on the SCSI controller', () => {
    expect(vm.disks).toHaveLength(1);
    expect(vm.disks[0]).toMatchObject({
      id: 'vmdisk1',
      capacityBytes: 128 * GIB,
      populatedBytes: 16798056448,
      format: 'COW',
      bootable: true,
      interface: 'VIRTIO_SCSI',
      file: { id: 'file1', href: 'Win10-Liz-disk1.vmdk', sizeBytes: 9155243008 },
    });
  });

  it('reads 1 E1000e NIC on "bridged", the controllers and the CD drive', () => {
    expect(vm.nics).toEqual([{ id: '9', name: 'nic1', network: 'bridged', interface: 'E1000E', mac: null, linked: true, plugged: true }]);
    expect(vm.controllers).toEqual([
      { id: '3', type: 'SATA', model: 'vmware.sata.ahci' },
      { id: '6', type: 'SCSI', model: 'lsilogicsas' },
    ]);
    expect(vm.cdroms).toEqual([{ id: '13', image: null }]);
  });

  it('warns about USB, sound, video, serial, VMCI and extra config', () => {
    const codes = vm.warnings.map((w) => w.code);
    expect(codes.filter((c) => c === 'USB')).toHaveLength(2);
    const text = vm.warnings.map((w) => w.message).join('\n');
    for (const what of ['serial0', 'hdaudio', '"video"', 'vmci', 'memoryHotAddEnabled', 'lsilogicsas']) expect(text).toContain(what);
    // The NIC's own VMware setting is named, not dropped.
    expect(vm.warnings).toContainEqual({
      code: 'UNSUPPORTED_SETTING',
      message: 'ethernet0: VMware settings not imported: wakeOnLanEnabled=false.',
    });
  });

  it('has no UUID: its identity is a hash of its VirtualSystem, the same however the XML is laid out', () => {
    expect(vm.id).toBeNull();
    expect(vm.sourceIdentity).toMatch(/^sha256:[0-9a-f]{64}$/);
    const relaid = shared('vmware_proxmox-qemu-server_Win10-Liz.ovf')
      .replace(/>\s+</g, '><')
      .replace(/\bvmw:/g, 'vw:')
      .replace('xmlns:vmw=', 'xmlns:vw=');
    expect(readOvf(relaid).sourceIdentity).toBe(vm.sourceIdentity);
    expect(
      readOvf(shared('vmware_proxmox-qemu-server_Win10-Liz.ovf').replace('<rasd:VirtualQuantity>6144', '<rasd:VirtualQuantity>8192'))
        .sourceIdentity,
    ).not.toBe(vm.sourceIdentity);
  });
});

describe('VMware vCenter descriptor (xp-multinic)', () => {
  const vm = readOvf(shared('vmware_govmomi_xp-multinic.ovf'));

  it('reads the VM', () => {
    expect(vm.name).toBe('xp-multinic');
    expect(vm.os).toEqual({ raw: 'winXPProGuest', type: 'windows_xp' });
    expect(vcpus(vm.cpu)).toBe(2);
    expect(vm.memoryMb).toBe(512);
  });

  it('reads 2 disks with mixed capacity units', () => {
    expect(vm.disks.map((d) => [d.id, d.capacityBytes])).toEqual([
      ['vmdisk1', 1536 * MIB],
      ['vmdisk2', 2 * GIB],
    ]);
    expect(vm.disks.map((d) => d.bootable)).toEqual([true, false]);
  });

  it('reads 2 PCNet32 NICs, mapped with a warning', () => {
    expect(vm.nics.map((n) => [n.name, n.network, n.interface])).toEqual([
      ['nic1', 'VM Network', 'E1000'],
      ['nic2', 'dvportgroup-30', 'E1000'],
    ]);
    expect(vm.warnings.filter((w) => w.code === 'UNMAPPED_VALUE' && w.message.includes('PCNet32'))).toHaveLength(2);
    expect(vm.warnings.some((w) => w.message.includes('Floppy'))).toBe(true);
  });
});

describe('VirtualBox descriptor (ubuntu-16.04-amd64 Vagrant box)', () => {
  const vm = readOvf(shared('vbox_Shubh823-Wad-Practicle_box.ovf'));

  it('takes the name from VirtualSystem/@ovf:id', () => {
    expect(vm.producer).toBe('virtualbox');
    expect(vm.name).toBe('ubuntu-16.04-amd64');
    expect(vm.id).toBe('2c86ea2c-f60c-4967-bea8-5d0429e9e675');
    expect(vm.sourceIdentity).toBe('id:2c86ea2c-f60c-4967-bea8-5d0429e9e675'); // vbox:Machine's uuid
  });

  it('reads OS, CPU and memory', () => {
    expect(vm.os).toEqual({ raw: 'Ubuntu_64', type: 'other_linux' });
    expect(vm.warnings).toContainEqual({
      code: 'UNMAPPED_VALUE',
      message: 'Guest OS "Ubuntu_64" has no exact oVirt equivalent; it is approximated as "other_linux".',
    });
    expect(vcpus(vm.cpu)).toBe(1);
    expect(vm.memoryMb).toBe(1024);
  });

  it('reads 1 disk of 64 GiB on SATA, and 1 E1000 NIC on NAT with the MAC from vbox:Machine', () => {
    expect(vm.disks).toHaveLength(1);
    expect(vm.disks[0]).toMatchObject({
      id: 'vmdisk1',
      capacityBytes: 68719476736,
      interface: 'SATA',
      bootable: true,
      file: { href: 'ubuntu-16.04-amd64-disk001.vmdk', sizeBytes: null },
    });
    expect(vm.nics).toEqual([
      { id: '7', name: 'nic1', network: 'NAT', interface: 'E1000', mac: '08:00:27:96:99:a9', linked: true, plugged: true },
    ]);
    expect(vm.controllers.map((c) => c.type)).toEqual(['IDE', 'IDE', 'SATA']);
  });
});
