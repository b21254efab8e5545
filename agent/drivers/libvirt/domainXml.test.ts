import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DomainSpec } from '../../../protocol/messages.ts';
import { domainXml, targetName } from './domainXml.ts';

const web01: DomainSpec = {
  id: '6d1f0c6e-55a4-4f57-9d0e-1b2f3a4b5c6d',
  name: 'web01',
  memoryMb: 2048,
  currentMemoryMb: 1024,
  vcpus: 4,
  sockets: 2,
  cores: 2,
  threads: 1,
  osType: 'rhel_9x64',
  display: 'VNC',
  displayListen: '192.0.2.10',
  displayWebsocket: true,
  disks: [
    { id: 'a1b2c3d4-0000-4000-8000-0000000000a1', path: '/rhev/data/images/a1/b1', format: 'qcow2', interface: 'VIRTIO', bootOrder: 1 },
    { id: 'a1b2c3d4-0000-4000-8000-0000000000a2', path: '/rhev/data/images/a2/b2', format: 'raw', interface: 'VIRTIO_SCSI' },
    { id: 'a1b2c3d4-0000-4000-8000-0000000000a3', path: '/rhev/data/images/a3/b3', format: 'raw', interface: 'IDE' },
    { id: 'a1b2c3d4-0000-4000-8000-0000000000a4', path: '/rhev/data/images/a4/b4', format: 'qcow2', interface: 'SATA' },
    { id: 'a1b2c3d4-0000-4000-8000-0000000000a5', path: '/rhev/data/images/a5/b5', format: 'qcow2', interface: 'VIRTIO', readOnly: true },
  ],
  nics: [
    { mac: '56:6F:00:00:00:01', model: 'VIRTIO', bridge: 'ovirtmgmt', bootOrder: 2 },
    { mac: '56:6f:00:00:00:02', model: 'E1000', bridge: null, linked: false },
  ],
};

const tiny: DomainSpec = {
  id: '11111111-2222-4333-8444-555555555555',
  name: 'tiny',
  memoryMb: 128,
  vcpus: 1,
  osType: 'other_linux',
  display: 'SPICE',
  kernel: { kernelPath: '/guest/vmlinuz', initrdPath: '/guest/initrd.img', cmdline: 'console=ttyS0 hn=tiny' },
};

const options = { virtType: 'kvm' as const, displayPassword: 'initial1' };

const ISO = { domainId: '22222222-3333-4444-8555-666666666666', domainPath: '/srv/iso', name: 'debian.iso', path: '/srv/iso/debian.iso' };
/** web01 with an ISO in its CD-ROM drive, booting from it first. */
const installer: DomainSpec = {
  ...web01,
  cdrom: { medium: ISO, bootOrder: 1 },
  disks: web01.disks!.map((d) => ({ ...d, bootOrder: undefined })),
};

describe('domainXml', () => {
  it('writes the domain libvirt runs for a VM definition: topology, balloon, disks per interface, NICs, console, agent channel', () => {
    expect(domainXml(web01, options)).toBe(readFileSync(path.join(import.meta.dirname, 'testdata/web01.xml'), 'utf8'));
  });

  it('boots a kernel directly, offers SPICE with QXL, and defaults to one socket of vcpus cores', () => {
    const xml = domainXml({ ...tiny, vcpus: 2 }, { virtType: 'qemu', displayPassword: 'x' });
    expect(xml).toContain('<domain type="qemu">');
    expect(xml).toContain('<kernel>/guest/vmlinuz</kernel>');
    expect(xml).toContain('<initrd>/guest/initrd.img</initrd>');
    expect(xml).toContain('<cmdline>console=ttyS0 hn=tiny</cmdline>');
    expect(xml).toContain('<topology sockets="1" dies="1" cores="2" threads="1"/>');
    expect(xml).toMatch(/<graphics type="spice" port="-1" autoport="yes" passwd="x" passwdValidTo="1970-01-01T00:00:01">/);
    expect(xml).toContain('<model type="qxl"/>');
    expect(xml).not.toContain('websocket');
    expect(xml).not.toContain('<disk');
  });

  it('refuses a topology that does not make the vCPU count', () => {
    expect(() => domainXml({ ...web01, vcpus: 3 }, options)).toThrow('CPU topology 2×2×1 does not make 3 vCPUs');
  });

  it('gives the CD-ROM drive a read-only IDE cdrom after the IDE disks, on its ISO file, in the boot order', () => {
    const xml = domainXml(installer, options);
    const cd = /<disk type="file" device="cdrom">[\s\S]*?<\/disk>/.exec(xml)![0];
    expect(cd).toContain('<source file="/srv/iso/debian.iso"/>');
    expect(cd).toContain('<target dev="hdc" bus="ide"/>');
    expect(cd).toContain('<readonly/>');
    expect(cd).toContain('<boot order="1"/>');
    expect(cd).toContain('<alias name="ua-cdrom"/>');
    // Empty: the drive is there (a medium can go in while the VM runs), without a source.
    const empty = /<disk type="file" device="cdrom">[\s\S]*?<\/disk>/.exec(domainXml({ ...tiny, cdrom: { medium: null } }, options))![0];
    expect(empty).not.toContain('<source');
    expect(empty).toContain('<target dev="hdc" bus="ide"/>');
    expect(domainXml(tiny, options)).not.toContain('cdrom');
  });

  it('gives the cloud-init config drive a second read-only IDE cdrom after the CD-ROM drive', () => {
    const xml = domainXml({ ...installer, configDrive: { userData: '', metaData: '', path: '/data/payload/x-cidata.iso' } }, options);
    const drive = /<disk type="file" device="cdrom">(?:(?!<\/disk>)[\s\S])*?ua-cidata[\s\S]*?<\/disk>/.exec(xml)![0];
    expect(drive).toContain('<source file="/data/payload/x-cidata.iso"/>');
    expect(drive).toContain('<target dev="hdd" bus="ide"/>');
    expect(drive).toContain('<readonly/>');
    expect(drive).not.toContain('<boot');
  });

  it('names targets as Linux does: vda … vdz, vdaa', () => {
    expect([0, 1, 25, 26, 27].map((i) => targetName('vd', i))).toEqual(['vda', 'vdb', 'vdz', 'vdaa', 'vdab']);
  });
});

// libvirt's own schema (virt-xml-validate, package libvirt-clients): in CI it must be there.
const validator = await promisify(execFile)('virt-xml-validate', ['--help']).then(
  () => true,
  (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
);
describe.skipIf(!validator && process.env.CI !== 'true')(
  `domainXml against libvirt's schema${validator ? '' : ' (skipped: virt-xml-validate is not installed; bash .ci/peers.sh installs it)'}`,
  () => {
    it.each([
      ['web01', web01],
      ['tiny', tiny],
      ['installer', installer],
    ])('%s validates', async (_name, spec) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'vireo-xml-'));
      try {
        const file = path.join(dir, 'domain.xml');
        writeFileSync(file, domainXml(spec, options));
        // It exits non-zero with the schema's complaint when the XML is not valid.
        const { stdout, stderr } = await promisify(execFile)('virt-xml-validate', [file, 'domain']);
        expect(stdout + stderr).toContain('validates');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
