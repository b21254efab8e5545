// The oVirt-flavour writer: its shape, and reader(writer(x)) giving x back field by field.
import { describe, expect, it } from 'vitest';
import { readOvf } from '../../server/ovf/reader.ts';
import { writeOvirtOvf } from '../../server/ovf/writer.ts';
import { toOvirtDescription } from '../../server/ovf/ovirtIds.ts';
import { OvfInvalidError } from '../../server/ovf/errors.ts';
import { parseXml } from '../../server/ovf/xml.ts';
import type { OvfVm } from '../../server/ovf/types.ts';
import { shared } from './descriptors.ts';

const GIB = 1024 ** 3;
const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** An oVirt-native description using every field. */
function sample(): OvfVm {
  return {
    producer: 'ovirt',
    kind: 'vm',
    id: u(1),
    sourceIdentity: `id:${u(1)}`,
    template: { id: u(70), name: 'rhel9-base' },
    templateVersion: null,
    name: 'web & "db" <01>',
    description: 'Two disks, two NICs',
    os: { raw: 'rhel_9x64', type: 'rhel_9x64' },
    cpu: { sockets: 2, cores: 4, threads: 2 },
    memoryMb: 8192,
    guaranteedMemoryMb: 4096,
    highlyAvailable: true,
    haPriority: 50,
    stateless: true,
    displayType: 'SPICE',
    disks: [
      {
        id: u(10),
        imageId: u(11),
        alias: 'web_Disk1',
        description: 'system',
        capacityBytes: 20 * GIB + 512,
        populatedBytes: 3 * GIB + 7,
        file: { id: u(11), href: `${u(10)}/${u(11)}`, sizeBytes: 3 * GIB + 7 },
        format: 'COW',
        sourceFormat: 'http://www.gnome.org/~markmc/qcow-image-format.html',
        sparse: true,
        interface: 'VIRTIO_SCSI',
        bootable: true,
        shareable: false,
        readOnly: false,
        snapshotId: u(40),
      },
      {
        id: u(12),
        imageId: u(13),
        alias: 'web_Disk2',
        description: '',
        capacityBytes: 100 * GIB,
        populatedBytes: null,
        file: { id: u(13), href: `${u(12)}/${u(13)}`, sizeBytes: null },
        format: 'RAW',
        sourceFormat: 'http://www.vmware.com/specifications/vmdk.html#sparse',
        sparse: false,
        interface: 'SATA',
        bootable: false,
        shareable: true,
        readOnly: true,
        snapshotId: null,
      },
    ],
    lunDisks: [],
    nics: [
      { id: u(20), name: 'nic1', network: 'ovirtmgmt', interface: 'VIRTIO', mac: '56:6f:1a:2b:00:01', linked: true, plugged: true },
      { id: u(21), name: 'nic2', network: null, interface: 'E1000E', mac: null, linked: false, plugged: false },
    ],
    controllers: [
      { id: u(30), type: 'VIRTIO_SCSI', model: null },
      { id: u(31), type: 'IDE', model: 'piix4' },
    ],
    cdroms: [{ id: u(32), image: 'rhel-9.iso' }],
    snapshots: [
      { id: u(40), type: 'ACTIVE', description: 'Active VM', createdAt: '2024-02-29T23:59:58.000Z', memory: null },
      {
        id: u(41),
        type: 'REGULAR',
        description: 'before upgrade',
        createdAt: '2024-03-01T10:00:00.000Z',
        memory: [50, 51, 52, 53, 54, 55].map(u).join(','),
      },
    ],
    warnings: [],
  };
}

describe('writeOvirtOvf', () => {
  it('round-trips an oVirt-native description exactly', () => {
    const vm = sample();
    expect(readOvf(writeOvirtOvf(vm))).toEqual(vm);
    expect(toOvirtDescription(vm)).toEqual(vm); // already in oVirt shape
  });

  it('round-trips a direct LUN disk (with its warning)', () => {
    const vm = sample();
    vm.lunDisks = [
      {
        id: u(60),
        alias: 'lun1',
        description: 'shared',
        lunId: '36001405bb1b5071cfb44a4e9576aef7c',
        sizeBytes: 5 * GIB,
        interface: 'VIRTIO_SCSI',
        bootable: false,
        shareable: true,
        readOnly: false,
        connections: [{ address: '10.0.0.5', port: '3260', iqn: 'iqn.2024-01.org.example:t1', storageType: 'ISCSI' }],
      },
    ];
    const back = readOvf(writeOvirtOvf(vm));
    expect({ ...back, warnings: [] }).toEqual(vm);
    expect(back.warnings.map((w) => w.code)).toEqual(['DIRECT_LUN']);
  });

  it('writes the shape oVirt writes', () => {
    const xml = writeOvirtOvf(sample(), { engineVersion: '4.5.0.0', exportDate: new Date('2025-01-02T03:04:05Z') });
    expect(xml).toContain('xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"');
    expect(xml).toContain('ovf:version="4.5.0.0"');
    expect(xml).toContain('<Content ovf:id="out" xsi:type="ovf:VirtualSystem_Type">');
    expect(xml).toContain('<ExportDate>2025/01/02 03:04:05</ExportDate>');
    expect(xml).toContain('<vssd:VirtualSystemType>ENGINE 4.5.0.0</vssd:VirtualSystemType>');
    expect(xml).toContain('<rasd:num_of_sockets>2</rasd:num_of_sockets>');
    expect(xml).toContain('<rasd:cpu_per_socket>4</rasd:cpu_per_socket>');
    expect(xml).toContain('<rasd:InstanceId>');
    expect(xml).toContain(`<Network ovf:name="ovirtmgmt" />`);
    // ovf:size in GiB, rounded up so the disk is never smaller; exact bytes in ovf:capacity.
    expect(xml).toMatch(/ovf:diskId="[^"]+11" ovf:size="21" ovf:actual_size="3"/);
    expect(xml).toContain(`ovf:capacity="${20 * GIB + 512}"`);
    expect(xml).toContain('ovf:volume-format="COW" ovf:volume-type="Sparse" ovf:disk-interface="VirtIO_SCSI"');
    expect(xml).toContain('<rasd:ResourceSubType>3</rasd:ResourceSubType>'); // VmInterfaceType.pv
    expect(xml).toContain('<Description>rhel_9x64</Description>');
    expect(xml).toContain('<Name>web &amp; &quot;db&quot; &lt;01&gt;</Name>');
    // General fields oVirt keeps in its own elements, and the bootable disk first in the boot order.
    expect(xml).toContain('<MinAllocatedMem>4096</MinAllocatedMem>');
    expect(xml).toContain('<IsStateless>true</IsStateless>');
    expect(xml).toContain('<AutoStartup>true</AutoStartup>');
    expect(xml).toContain('<Priority>50</Priority>');
    expect(xml).toMatch(/<Type>disk<\/Type>\s*<Device>disk<\/Device>\s*<rasd:Address \/>\s*<BootOrder>1<\/BootOrder>/);
    expect(xml).toMatch(/<Type>interface<\/Type>\s*<Device>bridge<\/Device>\s*<rasd:Address \/>\s*<BootOrder>0<\/BootOrder>/);
    const root = parseXml(xml);
    expect(root.children.map((c) => c.attrs.find((a) => a.local === 'type')?.value ?? c.local)).toEqual([
      'References',
      'ovf:NetworkSection_Type',
      'ovf:DiskSection_Type',
      'ovf:VirtualSystem_Type',
    ]);
  });

  it("writes a VM's template and console as oVirt does: TemplateId/TemplateName, DefaultDisplayType with its graphics and video devices", () => {
    const xml = writeOvirtOvf(sample());
    expect(xml).toContain(`<TemplateId>${u(70)}</TemplateId>`);
    expect(xml).toContain('<TemplateName>rhel9-base</TemplateName>');
    expect(xml).toContain('<DefaultDisplayType>1</DefaultDisplayType>'); // oVirt's DisplayType.qxl
    expect(xml).toMatch(/<rasd:ResourceType>26<\/rasd:ResourceType>\s*<Type>graphics<\/Type>\s*<Device>spice<\/Device>/);
    expect(xml).toMatch(/<rasd:ResourceType>20<\/rasd:ResourceType>[\s\S]*?<Type>video<\/Type>\s*<Device>qxl<\/Device>/);
    const vnc = { ...sample(), displayType: 'VNC' as const, template: null };
    const vncXml = writeOvirtOvf(vnc);
    expect(vncXml).toContain('<DefaultDisplayType>2</DefaultDisplayType>'); // DisplayType.vga
    expect(vncXml).toContain('<TemplateId>00000000-0000-0000-0000-000000000000</TemplateId>');
    expect(vncXml).toContain('<TemplateName>Blank</TemplateName>');
    expect(vncXml).toMatch(/<Type>graphics<\/Type>\s*<Device>vnc<\/Device>/);
    expect(readOvf(vncXml)).toEqual(vnc);
    // The devices decide over DefaultDisplayType, as in oVirt's reader.
    expect(readOvf(xml.replace('<DefaultDisplayType>1<', '<DefaultDisplayType>2<')).displayType).toBe('SPICE');
    expect(readOvf(xml).warnings).toEqual([]);
  });

  it("writes a template as oVirt's OvfTemplateWriter does: TemplateId is its own id, so OvfParser.isTemplate() holds", () => {
    const tpl: OvfVm = {
      ...sample(),
      kind: 'template',
      template: null,
      templateVersion: 3,
      snapshots: [],
      nics: sample().nics.map((n) => ({ ...n, mac: null })),
    };
    const xml = writeOvirtOvf(tpl);
    expect(xml).toContain(`<TemplateId>${u(1)}</TemplateId>`);
    expect(xml).toMatch(new RegExp(`<Section ovf:id="${u(1)}" ovf:required="false" xsi:type="ovf:OperatingSystemSection_Type">`));
    expect(xml).not.toContain('<TemplateName>');
    expect(xml).toContain('<default_display_type>1</default_display_type>');
    expect(xml).not.toContain('<DefaultDisplayType>');
    expect(xml).toContain('<IsDisabled>false</IsDisabled>');
    expect(xml).toContain('<TemplateType>TEMPLATE</TemplateType>');
    expect(xml).toContain('<TemplateVersionNumber>3</TemplateVersionNumber>');
    expect(readOvf(xml)).toEqual(tpl);
  });

  it('writes a CreationDate on every snapshot (oVirt reads it without a null check), and only memory lists oVirt can read', () => {
    const vm = sample();
    vm.snapshots[1]!.createdAt = null;
    const xml = writeOvirtOvf(vm, { exportDate: new Date('2025-01-02T03:04:05Z') });
    expect(xml.match(/<CreationDate>/g)).toHaveLength(3); // the VM's and both snapshots'
    expect(readOvf(xml).snapshots[1]!.createdAt).toBe('2025-01-02T03:04:05.000Z');
    vm.snapshots[1]!.memory = `${u(50)},${u(51)}`;
    expect(() => writeOvirtOvf(vm)).toThrow(/memory volumes .* \(six ids\)/);
    const back = readOvf(writeOvirtOvf(sample()).replace([50, 51, 52, 53, 54, 55].map(u).join(','), `${u(50)},${u(51)}`));
    expect(back.snapshots[1]!.memory).toBeNull();
    expect(back.warnings).toEqual([
      { code: 'IGNORED_VALUE', message: `Snapshot ${u(41)}: memory volumes "${u(50)},${u(51)}" are not oVirt's six ids; left out.` },
    ]);
  });

  it('warns about a boot order Vireo cannot keep: network boot, a second boot disk', () => {
    const xml = writeOvirtOvf(sample()).replace(
      /(<Type>interface<\/Type>\s*<Device>bridge<\/Device>\s*<rasd:Address \/>\s*<BootOrder>)0/,
      '$12',
    );
    const back = readOvf(xml);
    expect(
      back.warnings
        .filter((w) => w.code === 'BOOT_ORDER')
        .map((w) => w.message)
        .join(' '),
    ).toMatch(/NIC nic1 is in the boot order \(network boot, position 2\)/);
    const withOrder = writeOvirtOvf(sample()).replace(
      /(<Type>disk<\/Type>\s*<Device>disk<\/Device>\s*<rasd:Address \/>\s*<BootOrder>)0/,
      '$13',
    );
    expect(readOvf(withOrder).warnings.find((w) => w.code === 'BOOT_ORDER')!.message).toMatch(
      /Disk \S+ is at position 3 of the boot order/,
    );
  });

  it('refuses ids oVirt cannot read, and characters XML cannot hold', () => {
    const vm = sample();
    vm.nics[0]!.id = '9';
    expect(() => writeOvirtOvf(vm)).toThrow(OvfInvalidError);
    expect(() => writeOvirtOvf(vm)).toThrow(/NIC nic1 id "9"/);
    const bad = sample();
    bad.description = 'bell \u0007';
    expect(() => writeOvirtOvf(bad)).toThrow(OvfInvalidError);
  });

  it.each([
    'ovirt-engine_vmOvfData.xml',
    'vmware_proxmox-qemu-server_Win10-Liz.ovf',
    'vmware_govmomi_xp-multinic.ovf',
    'vbox_Shubh823-Wad-Practicle_box.ovf',
  ])('re-exports %s as oVirt OVF and reads the same VM back', (file) => {
    const original = readOvf(shared(file));
    const ovirt = toOvirtDescription(original);
    const back = readOvf(writeOvirtOvf(ovirt));
    expect(back).toEqual(ovirt);
    // Everything but ids, oVirt's file naming and producer-specific labels is the original's.
    expect(back.name).toBe(original.name);
    expect(back.os.type).toBe(original.os.type);
    expect(back.cpu).toEqual(original.cpu);
    expect(back.memoryMb).toBe(original.memoryMb);
    expect(back.disks.map((d) => [d.alias, d.capacityBytes, d.populatedBytes, d.format, d.interface, d.bootable])).toEqual(
      original.disks.map((d) => [d.alias, d.capacityBytes, d.populatedBytes, d.format, d.interface, d.bootable]),
    );
    expect(back.nics.map((n) => [n.name, n.network, n.interface, n.mac])).toEqual(
      original.nics.map((n) => [n.name, n.network, n.interface, n.mac]),
    );
    expect(back.snapshots.length).toBe(original.snapshots.length);
  });
});
