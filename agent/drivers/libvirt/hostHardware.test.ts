import { describe, expect, it } from 'vitest';
import { parseNuma, parseSysinfo, parseVersions } from './hostHardware.ts';

const SYSINFO = `<sysinfo type='smbios'>
  <bios>
    <entry name='vendor'>Dell Inc.</entry>
    <entry name='version'>1.9.2</entry>
  </bios>
  <system>
    <entry name='manufacturer'>Dell Inc.</entry>
    <entry name='product'>PowerEdge R650</entry>
    <entry name='version'>Not Specified</entry>
    <entry name='serial'>7XK2LM3</entry>
    <entry name='uuid'>4c4c4544-0058-4b10-8032-b7c04f4c4d33</entry>
  </system>
</sysinfo>`;

const CAPABILITIES = `<capabilities>
  <host>
    <uuid>4c4c4544-0058-4b10-8032-b7c04f4c4d33</uuid>
    <cpu><arch>x86_64</arch><model>Icelake-Server</model><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>
    <topology>
      <cells num='2'>
        <cell id='0'>
          <memory unit='KiB'>16298712</memory>
          <distances><sibling id='0' value='10'/><sibling id='1' value='21'/></distances>
          <cpus num='2'>
            <cpu id='2' socket_id='0' die_id='0' core_id='1' siblings='2'/>
            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>
          </cpus>
        </cell>
        <cell id='1'>
          <memory unit='KiB'>16777216</memory>
          <cpus num='1'>
            <cpu id='1' socket_id='1' die_id='0' core_id='0' siblings='1'/>
          </cpus>
        </cell>
      </cells>
    </topology>
  </host>
</capabilities>`;

const VERSION = `Compiled against library: libvirt 9.0.0
Using library: libvirt 9.0.0
Using API: QEMU 9.0.0
Running hypervisor: QEMU 7.2.0
`;

describe('host hardware from virsh', () => {
  it('reads manufacturer, product and serial from sysinfo; nothing from what is not XML', () => {
    expect(parseSysinfo(SYSINFO)).toEqual({ vendor: 'Dell Inc.', product: 'PowerEdge R650', serial: '7XK2LM3' });
    expect(parseSysinfo('error: failed to get sysinfo')).toEqual({ vendor: '', product: '', serial: '' });
  });

  it("reads each NUMA cell's CPUs (in order) and memory", () => {
    expect(parseNuma(CAPABILITIES)).toEqual([
      { node: 0, cpus: [0, 2], memoryMb: 15917 },
      { node: 1, cpus: [1], memoryMb: 16384 },
    ]);
  });

  it('reads the library and hypervisor versions', () => {
    expect(parseVersions(VERSION)).toEqual({ libvirtVersion: '9.0.0', qemuVersion: '7.2.0' });
  });
});
