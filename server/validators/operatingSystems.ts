// The operating systems a VM or template may name: oVirt's unique OS names (osinfo `os.<name>`).
// osType is checked against this list, and OVF import maps producers' ids onto it (server/ovf/os.ts).
export const OPERATING_SYSTEMS = [
  'other', 'other_linux',
  'rhel_3', 'rhel_3x64', 'rhel_4', 'rhel_4x64', 'rhel_5', 'rhel_5x64', 'rhel_6', 'rhel_6x64', 'rhel_7x64', 'rhel_8x64', 'rhel_9x64',
  'sles_11', 'sles_12', 'sles_15',
  'debian_7', 'debian_8', 'debian_9', 'debian_10', 'debian_11', 'debian_12',
  'ubuntu_12_04', 'ubuntu_14_04', 'ubuntu_16_04', 'ubuntu_18_04', 'ubuntu_20_04', 'ubuntu_22_04', 'ubuntu_24_04',
  'rhcos_x64', 'freebsd', 'freebsdx64',
  'windows_xp', 'windows_2003', 'windows_2003x64', 'windows_2008', 'windows_2008x64', 'windows_2008R2x64',
  'windows_7', 'windows_7x64', 'windows_8', 'windows_8x64', 'windows_2012x64', 'windows_2012R2x64',
  'windows_10', 'windows_10x64', 'windows_2016x64', 'windows_2019x64', 'windows_2022', 'windows_11',
] as const;

export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

const known = new Set<string>(OPERATING_SYSTEMS);
export const isOperatingSystem = (name: string): name is OperatingSystem => known.has(name);
