// Nothing is dropped silently: settings of the real descriptors (shared/fixtures/ovf) that Vireo
// cannot keep are warnings, one per setting; what it can keep (a VMware memory reservation) is kept.
import { describe, expect, it } from 'vitest';
import { readOvf } from '../../server/ovf/reader.ts';
import { readOva } from '../../server/ovf/ova.ts';
import { shared } from './descriptors.ts';
import { rawTar, streamOf } from './packages.ts';

const OVIRT = shared('ovirt-engine_vmOvfData.xml');
const WIN10 = shared('vmware_proxmox-qemu-server_Win10-Liz.ovf');
const messages = (xml: string, code: string) =>
  readOvf(xml)
    .warnings.filter((w) => w.code === code)
    .map((w) => w.message);

describe("oVirt's general fields", () => {
  it('warns once for each setting Vireo has no equivalent for', () => {
    const xml = OVIRT.replace('<DeleteProtected>false</DeleteProtected>', '<DeleteProtected>true</DeleteProtected>')
      .replace('<TimeZone />', '<TimeZone>Europe/Paris</TimeZone>')
      .replace(
        '<VmType>0</VmType>',
        `<VmType>2</VmType><BiosType>2</BiosType><MaxMemorySizeMb>4096</MaxMemorySizeMb><CpuPinning>0#1_1#2</CpuPinning>
        <VmInit ovf:hostName="web01" ovf:domain="example.org" /><SsoMethod>guest_agent</SsoMethod><NewFieldOfOvirt5>on</NewFieldOfOvirt5>`,
      )
      .replace('<default_boot_sequence>0</default_boot_sequence>', '<default_boot_sequence>10</default_boot_sequence>');
    expect(messages(xml, 'UNSUPPORTED_SETTING')).toEqual([
      'DeleteProtected "true" (protection from removal) is not represented; it is not imported.',
      'TimeZone "Europe/Paris" (guest time zone) is not represented; it is not imported.',
      'VmType "2" (VM type (2: high performance)) is not represented; it is not imported.',
      'BiosType "2" (chipset and firmware) is not represented; it is not imported.',
      'MaxMemorySizeMb 4096 (memory hot plug) is not represented; the VM cannot grow beyond 1024 MiB while it runs.',
      'CpuPinning "0#1_1#2" (CPU pinning) is not represented; it is not imported.',
      'VmInit (cloud-init or sysprep initialisation) is not represented; it is not imported.',
      'SsoMethod "guest_agent" (single sign-on through the guest agent) is not represented; it is not imported.',
      'NewFieldOfOvirt5 "on" is not represented; it is not imported.',
    ]);
    expect(messages(xml, 'BOOT_ORDER')).toEqual(['default_boot_sequence "10" (boot sequence) is not represented; it is not imported.']);
  });

  it('says when the display type is only approximated', () => {
    expect(readOvf(OVIRT.replace('<DefaultDisplayType>1<', '<DefaultDisplayType>4<'))).toMatchObject({ displayType: 'VNC' });
    expect(messages(OVIRT.replace('<DefaultDisplayType>1<', '<DefaultDisplayType>4<'), 'UNMAPPED_VALUE')).toContain(
      'The VM is headless (display type none); Vireo gives it a VNC console.',
    );
    // VNC from DefaultDisplayType 2, but the qxl card of the file does not go with it.
    const vga = OVIRT.replace('<DefaultDisplayType>1<', '<DefaultDisplayType>2<');
    expect(readOvf(vga).displayType).toBe('VNC');
    expect(messages(vga, 'UNSUPPORTED_DEVICE').join(' ')).toMatch(/video\/qxl .* is not represented; Vireo gives the VM a vga video card/);
  });

  it('reads a VM made from a template, and a template (TemplateId = its own id, as OvfParser.isTemplate() decides)', () => {
    const fromTemplate = OVIRT.replace(
      '<TemplateId>00000000-0000-0000-0000-000000000000</TemplateId>',
      '<TemplateId>1d1d1d1d-0000-4000-8000-000000000001</TemplateId>',
    ).replace('<TemplateName>Blank</TemplateName>', '<TemplateName>rhel9-base</TemplateName>');
    expect(readOvf(fromTemplate)).toMatchObject({
      kind: 'vm',
      template: { id: '1d1d1d1d-0000-4000-8000-000000000001', name: 'rhel9-base' },
    });
    const template = OVIRT.replace(
      '<TemplateId>00000000-0000-0000-0000-000000000000</TemplateId>',
      '<TemplateId>70f24c82-a7b8-4e0b-9192-cffd5705cf5c</TemplateId>',
    );
    expect(readOvf(template)).toMatchObject({ kind: 'template', template: null, templateVersion: null, name: 'exporttedVM' });
  });
});

describe("VMware's resource allocation and device settings", () => {
  const memoryItem = '<rasd:ElementName>6144MB of memory</rasd:ElementName>';
  const cpuItem = '<rasd:ElementName>4 virtual CPU(s)</rasd:ElementName>';

  it('keeps a memory reservation as guaranteed memory', () => {
    const vm = readOvf(WIN10.replace(memoryItem, `${memoryItem}<rasd:Reservation>2048</rasd:Reservation>`));
    expect(vm.guaranteedMemoryMb).toBe(2048);
    expect(readOvf(WIN10).guaranteedMemoryMb).toBeNull(); // no reservation: Vireo's default
    const over = readOvf(WIN10.replace(memoryItem, `${memoryItem}<rasd:Reservation>9000</rasd:Reservation>`));
    expect(over.guaranteedMemoryMb).toBe(6144);
    expect(over.warnings.map((w) => w.message)).toContain('Guaranteed memory 9000 MiB is more than the memory (6144 MiB); using 6144 MiB.');
  });

  it('warns about limits, shares and CPU reservations; normal shares and no limit say nothing', () => {
    const xml = WIN10.replace(memoryItem, `${memoryItem}<rasd:Limit>4096</rasd:Limit><rasd:Weight>61440</rasd:Weight>`).replace(
      cpuItem,
      `${cpuItem}<rasd:Limit>-1</rasd:Limit><rasd:Reservation>1000</rasd:Reservation><rasd:Weight>8000</rasd:Weight>`,
    );
    expect(messages(xml, 'UNSUPPORTED_SETTING').filter((m) => !m.includes('VMware settings'))).toEqual([
      'CPU reservation of 1000 MHz is not represented.',
      'CPU shares of 8000 (normal: 4000) are not represented.',
      'Memory limit of 4096 MiB is not represented; the VM is not capped.',
    ]);
  });

  it("names each imported device's own vmw:Config (the NIC's Wake-on-LAN)", () => {
    expect(messages(WIN10, 'UNSUPPORTED_SETTING')).toEqual(['ethernet0: VMware settings not imported: wakeOnLanEnabled=false.']);
  });

  it("takes VMware's BIOS UUID as the source's identity when the descriptor has one", () => {
    const xml = WIN10.replace(
      '<vmw:Config ovf:required="false" vmw:key="tools.syncTimeWithHost"',
      '<vmw:ExtraConfig ovf:required="false" vmw:key="uuid.bios" vmw:value="56 4d 8c 48 1d e9 53 12-9e 23 96 ef 90 e2 7a 17"/><vmw:Config ovf:required="false" vmw:key="tools.syncTimeWithHost"',
    );
    expect(readOvf(xml).sourceIdentity).toBe('vmware-bios:564d8c48-1de9-5312-9e23-96ef90e27a17');
  });
});

describe('OVA packages', () => {
  const XP = shared('vmware_govmomi_xp-multinic.ovf');
  const disks = [
    { name: 'xp-multinic-disk1.vmdk', data: 'one' },
    { name: 'xp-multinic-disk2.vmdk', data: 'two' },
  ];

  it('without a manifest: read, with a warning that nothing was checked', async () => {
    const ova = await readOva(streamOf(await rawTar([{ name: 'xp.ovf', data: XP }, ...disks])));
    expect(ova.warnings).toEqual([
      { code: 'OVA_NO_MANIFEST', message: 'The package has no manifest (.mf): the checksums of its files could not be checked.' },
    ]);
  });

  it('with a certificate: read, with a warning that the signature is not verified', async () => {
    const ova = await readOva(
      streamOf(
        await rawTar([
          { name: 'xp.ovf', data: XP },
          ...disks,
          { name: 'xp.cert', data: 'SHA256(xp.mf)= 00\n-----BEGIN CERTIFICATE-----\n' },
        ]),
      ),
    );
    expect(ova.warnings.map((w) => w.code)).toEqual(['OVA_NO_MANIFEST', 'OVA_SIGNATURE_NOT_CHECKED']);
    expect(ova.warnings[1]!.message).toContain('xp.cert');
  });
});
