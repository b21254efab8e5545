// A VM's CD-ROM and boot order through the API, on a simulated host whose agent uses the real file
// storage: an ISO image uploaded to an ISO domain goes into the CD-ROM drive at addVm or updateVm
// (checked first: the image must exist and be in the VM's data center), is in the domain the
// host runs (its XML: a read-only IDE cdrom on the ISO file, in the boot order asked for), and
// changing it while the VM runs changes the medium in the running domain at once.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { TestEngine } from '../support/testEngine.ts';
import { GiB, mutate } from '../support/inventory.ts';
import { startPosixStorage, type PosixDomain, type PosixStorage } from '../support/posixStorage.ts';
import { makeIso, uploadIso } from '../support/isoFiles.ts';
import { runVmUp, stopVmDown } from '../support/vmPower.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';

let storage: PosixStorage;
let t: TestEngine;
let isoDomain: PosixDomain;
let data: PosixDomain;
let work: string;
const images: Record<string, string> = {};

beforeAll(async () => {
  storage = await startPosixStorage('C', 'cd-host');
  t = storage.t;
  isoDomain = await storage.addDomain('C-iso', 'ISO');
  data = await storage.addDomain('C-posix');
  work = mkdtempSync(path.join(os.tmpdir(), 'vireo-cdrom-test-'));
  for (const [name, label] of [
    ['install.iso', 'INSTALL'],
    ['tools.iso', 'TOOLS'],
  ] as const) {
    const file = makeIso(work, name, label, { 'label.txt': `${label}\n` });
    const r = await uploadIso(storage.url, t.adminToken, isoDomain.gid, name, readFileSync(file));
    if (r.status !== 201) throw new Error(`upload of ${name}: ${JSON.stringify(r.body)}`);
    images[name] = r.body.isoImage.id;
  }
});
afterAll(async () => {
  await storage?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const isoFile = (name: string) => path.join(isoDomain.path, isoDomain.id, 'images', '11111111-1111-1111-1111-111111111111', name);
const call = async (name: string, input: Record<string, unknown>) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (await t.gql(`mutation($i: ${type}Input!) { ${name}(input: $i) { __typename ... on Error { code message } } }`, { i: input }))
    .data[name];
};
const can = async (name: string, input: Record<string, unknown>) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (await t.gql(`query($i: ${type}Input!) { can${type}(input: $i) { allowed reasons { code message } } }`, { i: input })).data[
    `can${type}`
  ];
};
const vmNode = async (gid: string) =>
  (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { status cdrom { name } bootDevices } } }`, { id: gid })).data.node;
/** The CD-ROM drive of the domain the host runs (its XML, as libvirt would get it). */
async function runningCdrom(vmGid: string): Promise<string> {
  const xml = await storage.host.driver.currentDescription(decodeGlobalID(vmGid).id);
  const disk = /<disk type="file" device="cdrom">[\s\S]*?<\/disk>/.exec(xml);
  if (!disk) throw new Error(`no cdrom in ${xml}`);
  return disk[0];
}

describe("a VM's CD-ROM and boot order", () => {
  let vm: string;

  it('refuses an image that does not exist, changing nothing', async () => {
    const missing = encodeGlobalID('IsoImage', '00000000-0000-4000-8000-000000000001');
    const r = await can('addVm', { name: 'cd-missing', cluster: storage.inv.cluster.id, cdrom: missing });
    expect(r.allowed).toBe(false);
    expect(r.reasons[0]).toMatchObject({ code: 'ISO_IMAGE_NOT_FOUND' });
    expect((await call('addVm', { name: 'cd-missing', cluster: storage.inv.cluster.id, cdrom: missing })).code).toBe('ISO_IMAGE_NOT_FOUND');
    expect((await t.gql(`{ vms(first: 50) { edges { node { name } } } }`)).data.vms.edges.map((e: any) => e.node.name)).not.toContain(
      'cd-missing',
    );
  });

  it('addVm takes an ISO and a boot order; the host runs it from a read-only IDE cdrom first in the boot order', async () => {
    vm = (
      await mutate(
        t,
        'addVm',
        {
          name: 'installer',
          cluster: storage.inv.cluster.id,
          disks: [{ storageDomain: data.gid, provisionedSizeBytes: GiB, bootable: true }],
          nics: [{ name: 'nic1' }],
          cdrom: images['install.iso'],
          bootDevices: ['CDROM', 'DISK'],
        },
        'vm',
      )
    ).id;
    expect(await vmNode(vm)).toEqual({ status: 'DOWN', cdrom: { name: 'install.iso' }, bootDevices: ['CDROM', 'DISK'] });
    await runVmUp(t, vm);
    const cd = await runningCdrom(vm);
    expect(cd).toContain(`<source file="${isoFile('install.iso')}"/>`);
    expect(cd).toMatch(/<target dev="hdc" bus="ide"\/>/);
    expect(cd).toContain('<readonly/>');
    expect(cd).toContain('<boot order="1"/>');
    const xml = await storage.host.driver.currentDescription(decodeGlobalID(vm).id);
    // The disk boots second; the NIC is not in the boot sequence.
    expect(/<disk type="file" device="disk">[\s\S]*?<boot order="2"\/>[\s\S]*?<\/disk>/.test(xml)).toBe(true);
    expect(/<interface[\s\S]*?<boot /.test(xml)).toBe(false);
  });

  it('updateVm changes the medium of the running VM at once, and ejects it', async () => {
    expect(await can('updateVm', { id: vm, cdrom: images['tools.iso'] })).toEqual({ allowed: true, reasons: [] });
    expect((await call('updateVm', { id: vm, cdrom: images['tools.iso'] })).__typename).toBe('MutationUpdateVmSuccess');
    expect(await runningCdrom(vm)).toContain(`<source file="${isoFile('tools.iso')}"/>`);
    expect((await vmNode(vm)).cdrom).toEqual({ name: 'tools.iso' });
    expect((await call('updateVm', { id: vm, ejectCdrom: true })).__typename).toBe('MutationUpdateVmSuccess');
    expect(await runningCdrom(vm)).not.toContain('<source');
    expect((await vmNode(vm)).cdrom).toBeNull();
    expect((await call('updateVm', { id: vm, cdrom: images['install.iso'] })).__typename).toBe('MutationUpdateVmSuccess');
    expect(await runningCdrom(vm)).toContain(`<source file="${isoFile('install.iso')}"/>`);
  });

  it("a VM's user lists the ISO images and changes its CD (CHANGE_VM_CD) but may not edit the VM", async () => {
    const role = (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === 'UserRole').id;
    const zoe = await mutate(t, 'addUser', { userName: 'zoe', password: 'zoepass12' }, 'user');
    await mutate(t, 'addUser', { userName: 'yan', password: 'yanpass12' }, 'user');
    await mutate(t, 'addPermission', { role, user: zoe.id, object: vm }, 'permission');
    const as = async (token: string, q: string, v: Record<string, unknown>) => (await t.gqlAs(token, q, v)).data;
    const zoeToken = await t.login('zoe', 'zoepass12');
    const listed = await as(zoeToken, `query($id: ID!) { node(id: $id) { ... on Vm { isoImages { name } cdrom { name } } } }`, { id: vm });
    expect(listed.node).toEqual({ isoImages: [{ name: 'install.iso' }, { name: 'tools.iso' }], cdrom: { name: 'install.iso' } });
    const change = `mutation($i: ChangeVmCdInput!) { changeVmCd(input: $i) { __typename ... on Error { code message } ... on MutationChangeVmCdSuccess { vm { cdrom { name } } } } }`;
    // Someone with no role on the VM is refused; the medium stays.
    const yanToken = await t.login('yan', 'yanpass12');
    expect((await as(yanToken, change, { i: { vm, isoImage: images['tools.iso'] } })).changeVmCd.__typename).toBe('ForbiddenError');
    expect(await runningCdrom(vm)).toContain(`<source file="${isoFile('install.iso')}"/>`);
    // Her, with UserRole: the running VM's host changes the medium at once.
    expect((await as(zoeToken, change, { i: { vm, isoImage: images['tools.iso'] } })).changeVmCd).toEqual({
      __typename: 'MutationChangeVmCdSuccess',
      vm: { cdrom: { name: 'tools.iso' } },
    });
    expect(await runningCdrom(vm)).toContain(`<source file="${isoFile('tools.iso')}"/>`);
    const both = await as(zoeToken, change, { i: { vm, isoImage: images['install.iso'], eject: true } });
    expect(both.changeVmCd.code).toBe('CDROM_EJECT_AND_INSERT');
    expect((await as(zoeToken, change, { i: { vm } })).changeVmCd.code).toBe('BAD_INPUT');
    expect((await as(zoeToken, change, { i: { vm, eject: true } })).changeVmCd.vm).toEqual({ cdrom: null });
    expect(await runningCdrom(vm)).not.toContain('<source');
    // Editing the VM itself stays an administrator's (EDIT_VM_PROPERTIES).
    const edit = await as(zoeToken, `mutation($i: UpdateVmInput!) { updateVm(input: $i) { __typename } }`, {
      i: { id: vm, cdrom: images['install.iso'] },
    });
    expect(edit.updateVm.__typename).toBe('ForbiddenError');
    const events = (await t.gql(`{ events(first: 20) { edges { node { code message } } } }`)).data.events.edges.map((e: any) => e.node);
    expect(events).toEqual(
      expect.arrayContaining([
        { code: 'USER_CHANGE_DISK_VM', message: 'CD tools.iso was inserted to VM installer by zoe@internal.' },
        { code: 'USER_EJECT_VM_DISK', message: 'CD was ejected from VM installer by zoe@internal.' },
      ]),
    );
    expect((await call('updateVm', { id: vm, cdrom: images['install.iso'] })).__typename).toBe('MutationUpdateVmSuccess');
  });

  it('an image in a VM is not removed; a Down VM takes a new image at its next start', async () => {
    const r = await call('removeIsoImage', { isoImage: images['install.iso'] });
    expect(r).toMatchObject({ code: 'ISO_IMAGE_IN_USE' });
    expect(r.message).toMatch(/installer/);
    await stopVmDown(t, vm);
    expect((await call('updateVm', { id: vm, cdrom: images['tools.iso'], bootDevices: ['DISK', 'CDROM', 'NETWORK'] })).__typename).toBe(
      'MutationUpdateVmSuccess',
    );
    await runVmUp(t, vm);
    const cd = await runningCdrom(vm);
    expect(cd).toContain(`<source file="${isoFile('tools.iso')}"/>`);
    expect(cd).toContain('<boot order="2"/>');
    expect(await storage.host.driver.currentDescription(decodeGlobalID(vm).id)).toMatch(/<interface[\s\S]*?<boot order="3"\/>/);
  });

  it('refuses a boot order naming a device twice, and an image of another data center', async () => {
    const twice = await can('updateVm', { id: vm, bootDevices: ['DISK', 'DISK'] });
    expect(twice.allowed).toBe(false);
    expect(twice.reasons[0].code).toBe('BAD_INPUT');
    // Another data center with its own ISO domain and host.
    const dc = await mutate(t, 'addDataCenter', { name: 'C-dc2' }, 'dataCenter');
    const cluster = await mutate(t, 'addCluster', { name: 'C-cluster2', dataCenter: dc.id }, 'cluster');
    const host2 = await startStorageHost(t, cluster.id, 'cd-host2');
    try {
      const dir = path.join(path.dirname(isoDomain.path), 'C-iso2');
      mkdirSync(dir);
      const sd = await mutate(
        t,
        'addStorageDomain',
        { name: 'C-iso2', dataCenter: dc.id, path: dir, storageType: 'POSIXFS', domainType: 'ISO' },
        'storageDomain',
      );
      const up = await uploadIso(host2.url, t.adminToken, sd.id, 'other.iso', readFileSync(path.join(work, 'tools.iso')));
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      const r = await can('updateVm', { id: vm, cdrom: up.body.isoImage.id });
      expect(r.allowed).toBe(false);
      expect(r.reasons[0]).toMatchObject({ code: 'ISO_IMAGE_NOT_IN_DATA_CENTER' });
      expect(r.reasons[0].message).toMatch(/other\.iso .*C-iso2.*not in the VM's data center/);
    } finally {
      await host2.stop();
    }
  });

  it('a refresh keeps an image whose file is gone while a VM holds it, and says so', async () => {
    expect((await vmNode(vm)).cdrom).toEqual({ name: 'tools.iso' });
    rmSync(isoFile('tools.iso'));
    const r = await call('refreshIsoImages', { storageDomain: isoDomain.gid });
    expect(r.__typename).toBe('MutationRefreshIsoImagesSuccess');
    expect((await vmNode(vm)).cdrom).toEqual({ name: 'tools.iso' });
    const events = (await t.gql(`{ events(first: 1, filter: { code: "ISO_DOMAIN_REFRESHED" }) { edges { node { message } } } }`)).data
      .events.edges;
    expect(events[0].node.message).toBe(
      "ISO images of Storage Domain C-iso were refreshed by admin@internal: found no new image; kept tools.iso whose file is gone, in a VM's CD-ROM drive.",
    );
  });
});
