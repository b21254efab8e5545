// Normalising a producer's OS id to oVirt's unique OS names (osinfo `os.<name>`).
import { isOperatingSystem, type OperatingSystem } from '../validators/operatingSystems.ts';

/** VMware guestId (vmw:osType) → oVirt OS name. */
const VMWARE: Record<string, OperatingSystem> = {
  winxpproguest: 'windows_xp',
  winxphomeguest: 'windows_xp',
  winxppro64guest: 'windows_xp',
  winnetstandardguest: 'windows_2003',
  winnetenterpriseguest: 'windows_2003',
  winnetwebguest: 'windows_2003',
  winnetstandard64guest: 'windows_2003x64',
  winnetenterprise64guest: 'windows_2003x64',
  winlonghornguest: 'windows_2008',
  winlonghorn64guest: 'windows_2008x64',
  windows7guest: 'windows_7',
  windows7_64guest: 'windows_7x64',
  windows7server64guest: 'windows_2008R2x64',
  windows8guest: 'windows_8',
  windows8_64guest: 'windows_8x64',
  windows8server64guest: 'windows_2012x64',
  windows9guest: 'windows_10',
  windows9_64guest: 'windows_10x64',
  windows9server64guest: 'windows_2016x64',
  windows2019srv_64guest: 'windows_2019x64',
  windows2019srvnext_64guest: 'windows_2022',
  windows2022srvnext_64guest: 'windows_2022',
  windows11_64guest: 'windows_11',
  rhel5guest: 'rhel_5',
  rhel5_64guest: 'rhel_5x64',
  rhel6guest: 'rhel_6',
  rhel6_64guest: 'rhel_6x64',
  rhel7_64guest: 'rhel_7x64',
  rhel8_64guest: 'rhel_8x64',
  rhel9_64guest: 'rhel_9x64',
  freebsdguest: 'freebsd',
  freebsd64guest: 'freebsdx64',
  otherguest: 'other',
  otherguest64: 'other',
};

/** VirtualBox OSType → oVirt OS name. */
const VBOX: Record<string, OperatingSystem> = {
  windowsxp: 'windows_xp',
  windowsxp_64: 'windows_xp',
  windows2003: 'windows_2003',
  windows2003_64: 'windows_2003x64',
  windows2008: 'windows_2008',
  windows2008_64: 'windows_2008x64',
  windows7: 'windows_7',
  windows7_64: 'windows_7x64',
  windows8: 'windows_8',
  windows8_64: 'windows_8x64',
  windows81: 'windows_8',
  windows81_64: 'windows_8x64',
  windows2012_64: 'windows_2012x64',
  windows10: 'windows_10',
  windows10_64: 'windows_10x64',
  windows2016_64: 'windows_2016x64',
  windows2019_64: 'windows_2019x64',
  windows2022_64: 'windows_2022',
  windows11_64: 'windows_11',
  freebsd: 'freebsd',
  freebsd_64: 'freebsdx64',
  other: 'other',
  other_64: 'other',
};

/** CIM_OperatingSystem OsType numbers (OperatingSystemSection/@ovf:id), as oVirt's OvfOvaReader maps them. */
const CIM: Record<string, OperatingSystem> = {
  '67': 'windows_xp',
  '71': 'windows_xp',
  '72': 'windows_xp',
  '69': 'windows_2003',
  '70': 'windows_2003x64',
  '76': 'windows_2008',
  '77': 'windows_2008x64',
  '103': 'windows_2008R2x64',
  '105': 'windows_7',
  '114': 'windows_8',
  '115': 'windows_8x64',
  '113': 'windows_2012x64',
  '116': 'windows_2012R2x64',
  '120': 'windows_10',
  '121': 'windows_10x64',
  '117': 'windows_2016x64',
  '42': 'freebsd',
  '78': 'freebsdx64',
};
const CIM_LINUX = new Set(
  [36, 79, 80, 82, 83, 84, 85, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 106, 107, 108, 109].map(String),
);
const LINUX = /linux|ubuntu|debian|centos|fedora|suse|rhel|redhat|oracle|mandriva|turbo|gentoo|arch|mint|alma|rocky/i;

/** The ids an OperatingSystemSection gives, by producer. */
export interface OsIds {
  ovirtName?: string | null;
  vmwareType?: string | null;
  vboxType?: string | null;
  cimId?: string | null;
  description?: string | null;
}

/** Ids that name a generic OS themselves (`otherGuest`, `otherLinux64Guest`, `Other_64`, `Linux26_64`), so `other`/`other_linux` is exact. */
const GENERIC = /^(other|linux(\d+)?(_64)?$)/i;

/**
 * Maps the OS ids of a descriptor to an oVirt OS name. Returns `mapped: false` when only a
 * generic guess (`other_linux`, `other`) was possible from a specific-looking id (Ubuntu_64,
 * centos7_64Guest: the reader warns that the OS is approximated).
 */
export function normaliseOs(ids: OsIds): { raw: string | null; type: OperatingSystem; mapped: boolean } {
  if (ids.ovirtName != null) {
    const name = ids.ovirtName.trim();
    // Engines before 3.4 wrote "Unassigned" for the "other" OS.
    if (name === '' || name === 'Unassigned') return { raw: name, type: 'other', mapped: true };
    if (isOperatingSystem(name)) return { raw: name, type: name, mapped: true };
    // A name this engine does not know (a newer oVirt's, or made up): the nearest generic one.
    return { raw: name, type: LINUX.test(name) ? 'other_linux' : 'other', mapped: false };
  }
  const raw = ids.vmwareType ?? ids.vboxType ?? ids.cimId ?? null;
  const known =
    (ids.vmwareType && VMWARE[ids.vmwareType.toLowerCase()]) ||
    (ids.vboxType && VBOX[ids.vboxType.toLowerCase()]) ||
    (ids.cimId && CIM[ids.cimId]);
  if (known) return { raw, type: known, mapped: true };
  const text = [ids.vmwareType, ids.vboxType, ids.description].filter(Boolean).join(' ');
  if (LINUX.test(text) || (ids.cimId != null && CIM_LINUX.has(ids.cimId))) {
    // CIM's 36 is "LINUX" itself; its other numbers name distributions.
    return { raw, type: 'other_linux', mapped: raw !== null && (GENERIC.test(raw) || raw === '36') };
  }
  return { raw, type: 'other', mapped: raw === null || GENERIC.test(raw) || raw === '0' || raw === '1' };
}
