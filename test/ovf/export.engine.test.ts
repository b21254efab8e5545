// Export (vmOvf, the OVA download route) and the round trip export → import, field by field;
// OVA uploads through GraphQL multipart, good and hostile.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYoga } from 'graphql-yoga';
import { schema } from '../../schema/index.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { readOva, readOvf } from '../../server/ovf/index.ts';
import { describeVm } from '../../server/actions/ovf/exportVm.ts';
import { handleOvaRequest, ovaDownloads } from '../../server/http/ova.ts';
import { IMPORT, importOk, gqlUpload, snapshotCounts, uuidOf, vmNode } from './engineSupport.ts';
import { rawTar, streamOf } from './packages.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
let second: { id: string };
let original: { id: string };
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'E');
  storageHost = await startStorageHost(t, inv.cluster.id); // the data center's image work
  second = await mutate(
    t,
    'addStorageDomain',
    { name: 'E-data2', dataCenter: inv.dc.id, path: 'nfs:/data2', capacityBytes: 50 * GiB },
    'storageDomain',
  );
  original = await mutate(
    t,
    'addVm',
    {
      name: 'db01',
      cluster: inv.cluster.id,
      description: 'PostgreSQL primary',
      osType: 'rhel_9x64',
      cpuSockets: 2,
      cpuCores: 2,
      cpuThreads: 2,
      memoryMb: 8192,
      nics: [
        { name: 'eth0', network: inv.vmNet.id, interface: 'VIRTIO' },
        { name: 'eth1', interface: 'E1000' },
      ],
      disks: [
        { alias: 'db01_os', storageDomain: inv.storage.id, provisionedSizeBytes: 20 * GiB, bootable: true, interface: 'VIRTIO' },
        {
          alias: 'db01_data',
          storageDomain: second.id,
          provisionedSizeBytes: 3 * GiB,
          format: 'RAW',
          sparse: false,
          interface: 'VIRTIO_SCSI',
        },
      ],
    },
    'vm',
  );
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const sortVm = (vm: any) => ({
  ...vm,
  nics: [...vm.nics].sort((a: any, b: any) => a.name.localeCompare(b.name)),
  diskAttachments: [...vm.diskAttachments].sort((a: any, b: any) => a.disk.alias.localeCompare(b.disk.alias)),
});

async function download(kind: string, id: string, token: string | null = t.adminToken) {
  const res = await handleOvaRequest(
    t.engine,
    new Request(`http://vireo.test/ova/${kind}/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
  );
  return res!;
}

describe('vmOvf', () => {
  it("gives the VM's oVirt-flavour OVF, which reads back as the VM", async () => {
    const res = await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, { id: original.id });
    const xml: string = res.data.vmOvf;
    expect(xml).toContain('xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/"');
    expect(xml).toContain('<Content ovf:id="out" xsi:type="ovf:VirtualSystem_Type">');
    expect(xml).toContain('<vssd:VirtualSystemType>ENGINE 4.4.0.0</vssd:VirtualSystemType>');
    const back = readOvf(xml);
    const { warnings: _w, ...expected } = await describeVm(t.engine.db, uuidOf(original.id));
    expect({ ...back, warnings: [] }).toMatchObject({
      ...expected,
      disks: expected.disks.map((d) => ({ ...d, sourceFormat: expect.any(String) })),
    });
    expect(back).toMatchObject({ name: 'db01', os: { type: 'rhel_9x64' }, cpu: { sockets: 2, cores: 2, threads: 2 }, memoryMb: 8192 });
    expect(back.nics.map((n) => [n.name, n.network, n.interface])).toEqual([
      ['eth0', 'E-vmnet', 'VIRTIO'],
      ['eth1', null, 'E1000'],
    ]);
    expect(back.disks.map((d) => [d.alias, d.capacityBytes, d.format, d.sparse, d.bootable, d.interface])).toEqual([
      ['db01_data', 3 * GiB, 'RAW', false, false, 'VIRTIO_SCSI'],
      ['db01_os', 20 * GiB, 'COW', true, true, 'VIRTIO'],
    ]);
  });

  it('is refused for an unknown VM and for a user who cannot see it', async () => {
    const unknown = await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, {
      id: Buffer.from('Vm:00000000-0000-4000-8000-000000000000').toString('base64'),
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await mutate(t, 'addUser', { userName: 'eve', password: 'evepass123' }, 'user');
    const token = await t.login('eve', 'evepass123');
    const res = await t.gqlAs(token, `query($id: ID!) { vmOvf(id: $id) }`, { id: original.id });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await download('vm', original.id, token)).status).toBe(403);
    expect((await download('vm', original.id, null)).status).toBe(401);
  });
});

describe('OVA download', () => {
  it('streams a tar: descriptor first, a qcow2 image per disk, a SHA256 manifest that matches', async () => {
    const res = await download('vm', original.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="db01.ova"');
    const ova = Buffer.from(await res.arrayBuffer());
    const contents = await readOva(streamOf(ova), { requireManifest: true });
    const names = contents.entries.map((e) => e.name);
    expect(names[0]).toBe('db01.ovf');
    expect(names.at(-1)).toBe('db01.mf');
    expect(names).toHaveLength(4);
    for (const e of contents.entries.slice(1, 3)) expect(contents.manifest!.get(e.name)!.digest).toBe(e.sha256);
    expect(contents.vm.name).toBe('db01');
    expect(contents.vm.disks.map((d) => d.file!.sizeBytes)).toEqual(
      contents.vm.disks.map((d) => contents.entries.find((e) => e.name === d.file!.href)!.sizeBytes),
    );
    // qcow2 magic and the virtual size in its header
    const tarOffset = ova.indexOf(Buffer.from([0x51, 0x46, 0x49, 0xfb]));
    expect(tarOffset).toBeGreaterThan(0);
    expect([3n * BigInt(GiB), 20n * BigInt(GiB)]).toContain(ova.readBigUInt64BE(tarOffset + 24));
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'IMPORTEXPORT_EXPORT_VM' } });
    expect(event.message).toBe('VM db01 was exported as an OVA by admin@internal.');
  });

  it('is served by the Yoga plugin at /ova/vm/<id>; other paths fall through', async () => {
    const yoga = createYoga({ schema, plugins: [ovaDownloads(t.engine)], graphqlEndpoint: '/graphql' });
    const res = await yoga.fetch(`http://vireo.test/ova/vm/${uuidOf(original.id)}`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    await res.arrayBuffer();
    expect(await handleOvaRequest(t.engine, new Request('http://vireo.test/graphql'))).toBeNull();
    expect((await download('vm', 'nonsense')).status).toBe(400);
    expect((await download('vm', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('exports a template too', async () => {
    // Made as a user makes one: a VM with those settings, then addTemplate.
    const source = await mutate(
      t,
      'addVm',
      {
        name: 'rhel9-src',
        cluster: inv.cluster.id,
        osType: 'rhel_9x64',
        memoryMb: 2048,
        guaranteedMemoryMb: 1024,
        highlyAvailable: true,
        disks: [{ alias: 'rhel9-base_Disk1', storageDomain: inv.storage.id, provisionedSizeBytes: 10 * GiB, bootable: true }],
        nics: [{ name: 'nic1', network: inv.vmNet.id, interface: 'E1000' }],
      },
      'vm',
    );
    const tpl = { id: uuidOf((await mutate(t, 'addTemplate', { vm: source.id, name: 'rhel9-base' }, 'template')).id) };
    const ovf = (await t.gql(`query($id: ID!) { templateOvf(id: $id) }`, { id: Buffer.from(`Template:${tpl.id}`).toString('base64') })).data
      .templateOvf;
    expect(readOvf(ovf)).toMatchObject({
      id: tpl.id,
      name: 'rhel9-base',
      memoryMb: 2048,
      guaranteedMemoryMb: 1024,
      highlyAvailable: true,
      disks: [{ alias: 'rhel9-base_Disk1', capacityBytes: 10 * GiB }],
      nics: [{ name: 'nic1', network: 'E-vmnet', interface: 'E1000', mac: null }],
    });
    const res = await download('template', tpl.id);
    expect(res.status).toBe(200);
    const contents = await readOva(streamOf(Buffer.from(await res.arrayBuffer())));
    expect(contents.entries.map((e) => e.name)[0]).toBe('rhel9-base.ovf');
  });
});

describe('round trip', () => {
  const mappings = () => ({
    cluster: inv.cluster.id,
    storageDomain: inv.storage.id,
    networks: [{ source: 'E-vmnet', network: inv.vmNet.id }],
  });

  it('export, remove, import: the same VM, field by field (ids and MACs included)', async () => {
    const before = sortVm(await vmNode(t, original.id));
    const ovf = (await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, { id: original.id })).data.vmOvf;
    const dataDisk = before.diskAttachments.find((a: any) => a.disk.alias === 'db01_data').disk;
    await mutate(t, 'removeVm', { id: original.id }, 'removed');
    const { vm, warnings } = await importOk(t, {
      ...mappings(),
      ovf,
      disks: [{ sourceDisk: uuidOf(dataDisk.id), storageDomain: second.id }],
    });
    expect(vm.id).toBe(original.id);
    expect(sortVm(await vmNode(t, vm.id))).toEqual(before);
    expect(warnings.map((w) => w.code)).toEqual(['DISK_DATA_NOT_IMPORTED', 'DISK_DATA_NOT_IMPORTED']);
  });

  it('export, import as a clone beside the original: equal but for ids, name and MACs', async () => {
    const before = sortVm(await vmNode(t, original.id));
    const ovf = (await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, { id: original.id })).data.vmOvf;
    const { vm, warnings } = await importOk(t, { ...mappings(), ovf, clone: true, name: 'db01-clone' });
    const after = sortVm(await vmNode(t, vm.id));
    const strip = (v: any) => ({
      ...v,
      id: undefined,
      name: undefined,
      nics: v.nics.map((n: any) => ({ ...n, id: undefined, macAddress: undefined })),
      diskAttachments: v.diskAttachments.map((a: any) => ({ ...a, disk: { ...a.disk, id: undefined, storageDomain: undefined } })),
    });
    expect(strip(after)).toEqual(strip(before));
    expect(after.id).not.toBe(before.id);
    expect(after.nics.map((n: any) => n.macAddress)).not.toEqual(before.nics.map((n: any) => n.macAddress));
    expect(warnings.filter((w) => w.code === 'MAC_REASSIGNED')).toHaveLength(2);
  });

  it('OVA download → upload through GraphQL multipart: the same VM, disks converted from the images', async () => {
    const before = sortVm(await vmNode(t, original.id));
    const ova = Buffer.from(await (await download('vm', original.id)).arrayBuffer());
    const res = await gqlUpload(t, IMPORT, { ...mappings(), clone: true, name: 'db01-ova' }, ova);
    expect(res.data.importVm.__typename).toBe('MutationImportVmSuccess');
    const after = sortVm(await vmNode(t, res.data.importVm.imported.vm.id));
    expect(after).toMatchObject({
      name: 'db01-ova',
      osType: before.osType,
      cpuSockets: 2,
      cpuCores: 2,
      cpuThreads: 2,
      memoryMb: 8192,
      description: 'PostgreSQL primary',
    });
    const contents = await readOva(streamOf(ova));
    for (const a of after.diskAttachments) {
      const src = before.diskAttachments.find((b: any) => b.disk.alias === a.disk.alias);
      expect(a.disk.provisionedSizeBytes).toBe(src.disk.provisionedSizeBytes);
      expect(contents.entries.some((e) => e.name.startsWith(`${uuidOf(src.disk.id)}/`))).toBe(true);
      // Preallocated: its full size; thin: what the converted qcow2 takes (more than its metadata: the simulated blocks).
      if (a.disk.sparse) expect(a.disk.actualSizeBytes).toBeGreaterThan(0);
      else expect(a.disk.actualSizeBytes).toBe(a.disk.provisionedSizeBytes);
    }
    expect(res.data.importVm.imported.warnings.map((w: any) => w.code)).not.toContain('DISK_DATA_NOT_CONVERTED');
  });
});

describe('hostile OVA uploads create nothing', () => {
  const ovfXml = async () => (await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, { id: original.id })).data.vmOvf as string;
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  const upload = async (ova: Buffer) => {
    const before = await snapshotCounts(t);
    const res = await gqlUpload(t, IMPORT, { cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true, name: 'hostile' }, ova);
    expect(await snapshotCounts(t)).toEqual(before);
    return res.data.importVm;
  };

  it('path traversal in a tar entry (and the refusal is in the event log)', async () => {
    const r = await upload(
      await rawTar([
        { name: 'vm.ovf', data: await ovfXml() },
        { name: '../../etc/cron.d/evil', data: 'x' },
      ]),
    );
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVA_UNSAFE_ENTRY' });
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'USER_ACTION_REFUSED' }, orderBy: { createdAt: 'desc' } });
    expect(event.message).toContain('could not import VM: Refused entry "../../etc/cron.d/evil"');
  });
  it('a symlink entry', async () => {
    const r = await upload(
      await rawTar([
        { name: 'vm.ovf', data: await ovfXml() },
        { name: 'disk', type: 'symlink', linkname: '/etc/passwd' },
      ]),
    );
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVA_UNSAFE_ENTRY' });
  });
  it('a disk the descriptor references is missing', async () => {
    const r = await upload(await rawTar([{ name: 'vm.ovf', data: await ovfXml() }]));
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVA_MISSING_FILE' });
  });
  it('a checksum that does not match', async () => {
    const xml = await ovfXml();
    const vm = readOvf(xml);
    const files = vm.disks.map((d) => ({ name: d.file!.href, data: Buffer.alloc(512, 1) }));
    const manifest = [
      `SHA256(vm.ovf)= ${sha(xml)}`,
      ...files.map((f, i) => `SHA256(${f.name})= ${i === 0 ? sha('tampered') : sha(f.data)}`),
    ].join('\n');
    const r = await upload(await rawTar([{ name: 'vm.ovf', data: xml }, ...files, { name: 'vm.mf', data: manifest }]));
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVA_CHECKSUM_MISMATCH' });
  });
  it('not a tar at all', async () => {
    const r = await upload(Buffer.from('this is not an archive'.repeat(100)));
    expect(r.__typename).toBe('ValidationError');
    expect(r.code).toMatch(/^OVA_/);
  });
  it('a malformed descriptor inside the package', async () => {
    const r = await upload(await rawTar([{ name: 'vm.ovf', data: '<Envelope><oops>' }]));
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'OVF_MALFORMED' });
  });
});

describe('snapshots', () => {
  it('are exported in the OVF; an import says they are not imported', async () => {
    const vmId = uuidOf(original.id);
    await mutate(t, 'createSnapshot', { vm: original.id, description: 'before upgrade' }, 'snapshot');
    const { createdAt } = await t.engine.db.snapshot.findFirstOrThrow({ where: { vmId, type: 'REGULAR' } });
    const ovf = (await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, { id: original.id })).data.vmOvf;
    expect(
      readOvf(ovf)
        .snapshots.map((s) => [s.type, s.description])
        .sort(),
    ).toEqual([
      ['ACTIVE', 'Active VM'],
      ['REGULAR', 'before upgrade'],
    ]);
    expect(ovf).toContain(`<CreationDate>${createdAt.toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/')}</CreationDate>`);
    const preview = await t.gql(`query($i: ImportVmInput!) { ovfImportPreview(input: $i) { allowed warnings { code message } } }`, {
      i: {
        ovf,
        cluster: inv.cluster.id,
        storageDomain: inv.storage.id,
        clone: true,
        name: 'db01-snap',
        networks: [{ source: 'E-vmnet', network: inv.vmNet.id }],
      },
    });
    expect(preview.data.ovfImportPreview.allowed).toBe(true);
    expect(preview.data.ovfImportPreview.warnings).toContainEqual({
      code: 'SNAPSHOTS_NOT_IMPORTED',
      message: '1 snapshot(s) are not imported; the VM is imported as its current state.',
    });
  });
});

void MiB;
