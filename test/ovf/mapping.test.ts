// The small mapping helpers: allocation units, OS names, NIC models, MAC addresses.
import { describe, expect, it } from 'vitest';
import { bytesPerUnit, toBytes } from '../../server/ovf/units.ts';
import { normaliseOs } from '../../server/ovf/os.ts';
import { mapNicModel, normaliseMac } from '../../server/ovf/devices.ts';

describe('allocation units', () => {
  it.each([
    ['byte', 1n],
    ['byte * 2^30', 2n ** 30n],
    ['byte*2^20', 2n ** 20n],
    ['byte * 10^9', 10n ** 9n],
    ['byte * 1024 * 2^10', 2n ** 20n],
    ['MegaBytes', 2n ** 20n],
    ['GigaBytes', 2n ** 30n],
    ['KB', 1024n],
  ])('%s', (units, expected) => {
    expect(bytesPerUnit(units)).toBe(expected);
  });

  it('refuses non-byte units, non-integers and overflow', () => {
    expect(bytesPerUnit('hertz * 10^6')).toBeNull();
    expect(toBytes('1.5', 'byte * 2^30')).toBeNull();
    expect(toBytes('-1', 'byte')).toBeNull();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an OVF size that is an unresolved ${…} placeholder
    expect(toBytes('${disk.size}', 'byte')).toBeNull();
    expect(toBytes('99999999', 'byte * 2^40')).toBeNull(); // beyond Number.MAX_SAFE_INTEGER
    expect(toBytes('128', 'byte * 2^30')).toBe(128 * 1024 ** 3);
  });
});

describe('OS names', () => {
  it('keeps oVirt names and maps the old "Unassigned"', () => {
    expect(normaliseOs({ ovirtName: 'rhel_8x64' })).toEqual({ raw: 'rhel_8x64', type: 'rhel_8x64', mapped: true });
    expect(normaliseOs({ ovirtName: 'Unassigned' }).type).toBe('other');
  });

  it('approximates an oVirt OS name this engine does not know, so no unknown osType is stored', () => {
    expect(normaliseOs({ ovirtName: 'rhel_42x64' })).toEqual({ raw: 'rhel_42x64', type: 'other_linux', mapped: false });
    expect(normaliseOs({ ovirtName: '../../etc/passwd' })).toEqual({ raw: '../../etc/passwd', type: 'other', mapped: false });
  });

  it('maps VMware, VirtualBox and CIM ids', () => {
    expect(normaliseOs({ vmwareType: 'windows9Server64Guest', cimId: '1' }).type).toBe('windows_2016x64');
    expect(normaliseOs({ vboxType: 'Windows7_64' }).type).toBe('windows_7x64');
    expect(normaliseOs({ cimId: '103' }).type).toBe('windows_2008R2x64');
    expect(normaliseOs({ cimId: '107' }).type).toBe('other_linux');
    expect(normaliseOs({ vmwareType: 'centos7_64Guest' }).type).toBe('other_linux');
  });

  it('says when it could only guess', () => {
    expect(normaliseOs({ vmwareType: 'solaris11_64Guest' })).toEqual({ raw: 'solaris11_64Guest', type: 'other', mapped: false });
    expect(normaliseOs({ vmwareType: 'otherGuest64' }).mapped).toBe(true);
    // A named distribution as generic Linux is a guess; a generic Linux id is not.
    expect(normaliseOs({ vboxType: 'Ubuntu_64' })).toEqual({ raw: 'Ubuntu_64', type: 'other_linux', mapped: false });
    expect(normaliseOs({ vboxType: 'RedHat_64' }).mapped).toBe(false);
    expect(normaliseOs({ vmwareType: 'centos7_64Guest' }).mapped).toBe(false);
    expect(normaliseOs({ cimId: '107' }).mapped).toBe(false);
    expect(normaliseOs({ vmwareType: 'otherLinux64Guest' })).toEqual({ raw: 'otherLinux64Guest', type: 'other_linux', mapped: true });
    expect(normaliseOs({ vboxType: 'Linux26_64' }).mapped).toBe(true);
  });
});

describe('NIC models and MACs', () => {
  it.each([
    ['VirtIO', 'VIRTIO', true],
    ['3', 'VIRTIO', true],
    ['E1000', 'E1000', true],
    ['E1000e', 'E1000E', true],
    ['rtl8139', 'RTL8139', true],
    ['VmxNet3', 'VIRTIO', false],
    ['PCNet32', 'E1000', false],
    [null, 'E1000', false],
  ] as const)('%s → %s', (subType, model, exact) => {
    expect(mapNicModel(subType)).toEqual({ model, exact });
  });

  it('normalises MAC addresses', () => {
    expect(normaliseMac('0800279699A9')).toBe('08:00:27:96:99:a9');
    expect(normaliseMac('00-50-56-AB-CD-EF')).toBe('00:50:56:ab:cd:ef');
    expect(normaliseMac('not a mac')).toBeNull();
  });
});
