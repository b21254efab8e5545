// Malformed, hostile and incomplete descriptors are refused with typed errors; odd-but-valid ones read.
import { describe, expect, it } from 'vitest';
import { readOvf } from '../../server/ovf/reader.ts';
import { OvfInvalidError, OvfMalformedError, OvfTooLargeError, OvfUnsafeError } from '../../server/ovf/errors.ts';
import { own } from './descriptors.ts';

const NS =
  'xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"';
const CPU =
  '<Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>';
const MEM =
  '<Item><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:VirtualQuantity>512</rasd:VirtualQuantity></Item>';

/** A minimal generic descriptor; pieces replace parts of it. */
function ovf(p: { disks?: string; refs?: string; items?: string; vs?: string; name?: string } = {}): string {
  return `<?xml version="1.0"?>
<Envelope ${NS}>
  <References>${p.refs ?? ''}</References>
  <DiskSection><Info>disks</Info>${p.disks ?? ''}</DiskSection>
  <VirtualSystem ovf:id="vm1">
    <Info>A VM</Info>
    ${p.name ?? '<Name>small</Name>'}
    ${p.vs ?? ''}
    <VirtualHardwareSection><Info>hw</Info>${p.items ?? CPU + MEM}</VirtualHardwareSection>
  </VirtualSystem>
</Envelope>`;
}

describe('hostile XML', () => {
  it('refuses billion laughs (entity expansion) before expanding anything', () => {
    expect(() => readOvf(own('billion-laughs.ovf'))).toThrow(OvfUnsafeError);
  });

  it('refuses an external entity (XXE)', () => {
    expect(() => readOvf(own('xxe.ovf'))).toThrow(OvfUnsafeError);
  });

  it('refuses a descriptor over the size limit', () => {
    const big = ovf({ vs: `<!-- ${'x'.repeat(2000)} -->` });
    expect(() => readOvf(big, { maxBytes: 1000 })).toThrow(OvfTooLargeError);
    try {
      readOvf(big, { maxBytes: 1000 });
    } catch (e) {
      expect((e as OvfTooLargeError).code).toBe('OVF_TOO_LARGE');
    }
  });

  it('refuses absurd nesting', () => {
    const deep = `${'<a>'.repeat(500)}${'</a>'.repeat(500)}`;
    expect(() => readOvf(`<Envelope ${NS}>${deep}</Envelope>`)).toThrow(OvfMalformedError);
  });
});

describe('malformed XML', () => {
  it.each([
    ['unclosed tag', '<Envelope><VirtualSystem></Envelope>'],
    ['two roots', '<a/><b/>'],
    ['text only', 'not xml at all'],
    ['undeclared prefix', '<ovf:Envelope><ovf:VirtualSystem/></ovf:Envelope>'],
  ])('%s → OvfMalformedError', (_, xml) => {
    expect(() => readOvf(xml)).toThrow(OvfMalformedError);
  });

  it('reports line and column', () => {
    try {
      readOvf('<Envelope>\n  <a>\n</Envelope>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OvfMalformedError);
      expect((e as OvfMalformedError).code).toBe('OVF_MALFORMED');
      expect((e as OvfMalformedError).line).toBeGreaterThan(1);
    }
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => readOvf(new Uint8Array([0x3c, 0x61, 0xff, 0xfe, 0x3e]))).toThrow(OvfMalformedError);
  });
});

describe('missing required parts', () => {
  it.each([
    ['a root that is not an OVF Envelope', '<Envelope><VirtualSystem/></Envelope>', /not an OVF Envelope/],
    ['no VirtualSystem', `<Envelope ${NS}><References/></Envelope>`, /no VirtualSystem/],
    [
      'no VirtualHardwareSection',
      `<Envelope ${NS}><VirtualSystem ovf:id="x"><Name>x</Name></VirtualSystem></Envelope>`,
      /no VirtualHardwareSection/,
    ],
    ['no CPU item', ovf({ items: MEM }), /no CPU item/],
    ['no memory item', ovf({ items: CPU }), /no memory item/],
    ['no name', ovf({ name: '' }).replace(' ovf:id="vm1"', ''), /no Name/],
    [
      'a disk item pointing nowhere',
      ovf({
        items: `${CPU}${MEM}<Item><rasd:InstanceID>5</rasd:InstanceID><rasd:ResourceType>17</rasd:ResourceType><rasd:HostResource>ovf:/disk/ghost</rasd:HostResource></Item>`,
      }),
      /ghost/,
    ],
    ['a disk whose file is not in References', ovf({ disks: '<Disk ovf:diskId="d1" ovf:capacity="1" ovf:fileRef="nofile"/>' }), /nofile/],
    ['a disk without capacity', ovf({ disks: '<Disk ovf:diskId="d1"/>' }), /capacity/],
    [
      'an unknown capacity unit',
      ovf({ disks: '<Disk ovf:diskId="d1" ovf:capacity="3" ovf:capacityAllocationUnits="furlongs"/>' }),
      /furlongs/,
    ],
    ['a zero CPU count', ovf({ items: CPU.replace('>2<', '>0<') + MEM }), /positive integer/],
  ])('%s → OvfInvalidError', (_, xml, message) => {
    expect(() => readOvf(xml)).toThrow(OvfInvalidError);
    expect(() => readOvf(xml)).toThrow(message);
  });
});

describe('odd but valid descriptors', () => {
  it('reads an ISO in DiskSection as a CD-ROM, not a disk, and warns about USB and sound', () => {
    const vm = readOvf(own('vbox-with-iso.ovf'));
    expect(vm.name).toBe('tiny-vbox');
    expect(vm.disks.map((d) => d.id)).toEqual(['vmdisk1']);
    expect(vm.disks[0]).toMatchObject({ capacityBytes: 10 * 1024 ** 3, interface: 'SATA', format: 'COW' });
    expect(vm.cdroms).toEqual([{ id: '6', image: 'installer.iso' }]);
    expect(vm.nics[0]).toMatchObject({ interface: 'VIRTIO', network: 'Bridged' });
    expect(vm.os).toEqual({ raw: 'RedHat_64', type: 'other_linux' });
    expect(vm.cpu).toEqual({ sockets: 2, cores: 1, threads: 1 });
    expect(vm.memoryMb).toBe(2048);
    const codes = vm.warnings.map((w) => w.code);
    expect(codes).toContain('USB');
    expect(vm.warnings.some((w) => w.code === 'UNSUPPORTED_DEVICE' && w.message.includes('ensoniq1371'))).toBe(true);
  });

  it('reads prefixed elements the same as default-namespace ones', () => {
    const prefixed = ovf()
      .replace(/<(\/?)(Envelope|References|DiskSection|Info|VirtualSystem|Name|VirtualHardwareSection|Item)\b/g, '<$1ovf:$2')
      .replace(` ${NS}`, ` ${NS.replace('xmlns="http://schemas.dmtf.org/ovf/envelope/1" ', '')}`);
    const a = readOvf(ovf());
    const b = readOvf(prefixed);
    expect(b).toEqual(a);
    expect(b.name).toBe('small');
  });

  it('splits vCPUs by vmw:CoresPerSocket and converts memory units', () => {
    const items =
      '<Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>8</rasd:VirtualQuantity><vmw:CoresPerSocket xmlns:vmw="http://www.vmware.com/schema/ovf" ovf:required="false">4</vmw:CoresPerSocket></Item>' +
      '<Item><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits><rasd:VirtualQuantity>4</rasd:VirtualQuantity></Item>';
    const vm = readOvf(ovf({ items }));
    expect(vm.cpu).toEqual({ sockets: 2, cores: 4, threads: 1 });
    expect(vm.memoryMb).toBe(4096);
  });

  it('warns about sections it does not read', () => {
    const vm = readOvf(
      ovf({
        vs: '<ProductSection><Info>p</Info><Product>X</Product></ProductSection><EulaSection><Info>e</Info><License>L</License></EulaSection>',
      }),
    );
    expect(vm.warnings.filter((w) => w.code === 'UNSUPPORTED_SECTION').map((w) => w.message)).toEqual([
      'Section ProductSection is not read.',
      'Section EulaSection is not read.',
    ]);
  });

  it('decodes escaped characters in values', () => {
    const vm = readOvf(ovf({ name: '<Name>a &amp; b &lt;c&gt; &#233;</Name>' }));
    expect(vm.name).toBe('a & b <c> é');
  });
});
