// Disk images end to end, made by the host of the data center (a simulated agent with file
// storage): the images a new disk gets on its storage domain (with the simulated hypervisor's
// first blocks), the OVA export of real images as qcow2, and the import that converts them onto
// the target domain; the round trip field by field and byte by byte; corrupted and oversized
// images, unsafe images, upload size caps: nothing created, nothing left on disk or staged.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { readOva } from '../../server/ovf/index.ts';
import { dataDir } from '../../server/storage/tempArea.ts';
import { volumeRef } from '../../server/storage/volumeRef.ts';
import { stagingDir, volumePath } from '../../agent/storage/domainLayout.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { handleOvaRequest } from '../../server/http/ova.ts';
import { runAction } from '../../server/actions/runAction.ts';
import { importVm } from '../../server/actions/ovf/importVm.ts';
import { SYSTEM_ACTOR } from '../../server/auth/actor.ts';
import { IMPORT, PREVIEW, gqlUpload, snapshotCounts, uuidOf } from './engineSupport.ts';
import { shared } from './descriptors.ts';
import { rawTar, streamOf } from './packages.ts';

const MiB = 1024 * 1024;
const qemu = (() => {
  try {
    execFileSync('qemu-img', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const qemuImg = (...args: string[]) => execFileSync('qemu-img', args, { encoding: 'utf8' });

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let second: { id: string };
let vm: { id: string };
let scratch: string;
let host: Awaited<ReturnType<typeof startStorageHost>>;

const VM = `query($id: ID!) { node(id: $id) { ... on Vm { id name description osType cpuSockets cpuCores cpuThreads memoryMb guaranteedMemoryMb
  highlyAvailable haPriority stateless displayType nics { name interface linked plugged network { name } }
  diskAttachments { bootable interface disk { id alias provisionedSizeBytes actualSizeBytes format sparse storageDomain { name } } } } } }`;

async function vmNode(id: string) {
  const node = (await t.gql(VM, { id })).data.node;
  node.diskAttachments.sort((a: any, b: any) => a.disk.alias.localeCompare(b.disk.alias));
  return node;
}

/** The image file of a disk (GraphQL id), where its storage domain keeps it. */
async function imageOf(diskId: string): Promise<string> {
  const disk = await t.engine.db.disk.findUniqueOrThrow({ where: { id: uuidOf(diskId) }, include: { storageDomain: true } });
  return volumePath(volumeRef(disk.storageDomain, disk.id));
}

/** The first bytes of an image as the guest sees them. */
function guestBytes(file: string, format: string, n = 8192): Buffer {
  const raw = path.join(scratch, `head-${Math.random()}.raw`);
  qemuImg('convert', '-f', format, '-O', 'raw', file, raw);
  const buf = Buffer.alloc(n);
  const fd = openSync(raw, 'r');
  try {
    readSync(fd, buf, 0, n, 0);
  } finally {
    closeSync(fd);
    rmSync(raw);
  }
  return buf;
}

/** What is left in the engine's temporary area and the host's staging area (polled: an export removes its files just after its last byte). */
const tmpLeft = () => [path.join(dataDir(), 'tmp'), stagingDir()].flatMap((dir) => (existsSync(dir) ? readdirSync(dir) : []));
const imageDirs = () =>
  existsSync(path.join(dataDir(), 'storage')) ? readdirSync(path.join(dataDir(), 'storage'), { recursive: true }).length : 0;

async function download(id: string): Promise<Response> {
  return (await handleOvaRequest(
    t.engine,
    new Request(`http://vireo.test/ova/vm/${id}`, { headers: { authorization: `Bearer ${t.adminToken}` } }),
  ))!;
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'vireo-images-test-'));
  t = await startTestEngine();
  inv = await buildInventory(t, 'M');
  host = await startStorageHost(t, inv.cluster.id);
  second = await mutate(
    t,
    'addStorageDomain',
    { name: 'M-data2', dataCenter: inv.dc.id, path: 'nfs:/data2', capacityBytes: 50 * GiB },
    'storageDomain',
  );
  vm = await mutate(
    t,
    'addVm',
    {
      name: 'web01',
      cluster: inv.cluster.id,
      description: 'web server',
      osType: 'rhel_9x64',
      cpuSockets: 2,
      cpuCores: 2,
      cpuThreads: 1,
      memoryMb: 4096,
      guaranteedMemoryMb: 2048,
      highlyAvailable: true,
      haPriority: 50,
      stateless: true,
      displayType: 'SPICE',
      nics: [
        { name: 'eth0', network: inv.vmNet.id, interface: 'VIRTIO' },
        { name: 'eth1', interface: 'E1000' },
      ],
      disks: [{ alias: 'web01_os', storageDomain: inv.storage.id, provisionedSizeBytes: 2 * GiB, bootable: true, interface: 'VIRTIO' }],
    },
    'vm',
  );
  await mutate(
    t,
    'addDisk',
    { alias: 'web01_data', storageDomain: second.id, provisionedSizeBytes: 64 * MiB, format: 'RAW', sparse: false, vm: vm.id },
    'disk',
  );
});
afterAll(async () => {
  await host.stop();
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!qemu)('images of new disks', () => {
  it('the data dir of the test engines is a temporary one, not the project', () => {
    expect(dataDir().startsWith(path.resolve(import.meta.dirname, '../..'))).toBe(false);
  });

  it('a new COW disk is a qcow2 (compat 1.1) of its size; a RAW one a raw file; both hold the simulated first blocks', async () => {
    const node = await vmNode(vm.id);
    const [data, os] = node.diskAttachments.map((a: any) => a.disk);
    const osImage = await imageOf(os.id);
    expect(osImage).toBe(path.join(dataDir(), 'storage', uuidOf(inv.storage.id), 'images', uuidOf(os.id), path.basename(osImage)));
    const info = JSON.parse(qemuImg('info', '--output=json', '-f', 'qcow2', osImage));
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 2 * GiB, 'format-specific': { data: { compat: '1.1' } } });
    const head = guestBytes(osImage, 'qcow2');
    expect(head.readUInt16BE(510)).toBe(0x55aa);
    expect(head[446 + 4]).toBe(0x83);
    expect(head.subarray(4096, 4300).toString('utf8')).toContain(`VIREO SIMULATED DISK\ndisk: web01_os\nid: ${uuidOf(os.id)}\nvm: web01\n`);
    const dataImage = await imageOf(data.id);
    expect(JSON.parse(qemuImg('info', '--output=json', '-f', 'raw', dataImage))['virtual-size']).toBe(64 * MiB);
    expect(guestBytes(dataImage, 'raw').subarray(4096, 4200).toString('utf8')).toContain('disk: web01_data');
  });

  it('on a domain whose path is a local directory, images go to <path>/<domain id>/images/<disk id>/<image id>, without simulated content', async () => {
    const local = mkdtempSync(path.join(scratch, 'posix-'));
    const sd = await mutate(
      t,
      'addStorageDomain',
      { name: 'M-local', dataCenter: inv.dc.id, path: local, capacityBytes: 10 * GiB },
      'storageDomain',
    );
    const disk = await mutate(t, 'addDisk', { alias: 'on-local', storageDomain: sd.id, provisionedSizeBytes: 16 * MiB }, 'disk');
    const image = await imageOf(disk.id);
    expect(path.dirname(path.dirname(path.dirname(image)))).toBe(path.join(local, uuidOf(sd.id)));
    expect(guestBytes(image, 'qcow2').every((b) => b === 0)).toBe(true);
  });

  it('removing a disk removes its image', async () => {
    const disk = await mutate(t, 'addDisk', { alias: 'floating', storageDomain: inv.storage.id, provisionedSizeBytes: 16 * MiB }, 'disk');
    const image = await imageOf(disk.id);
    expect(guestBytes(image, 'qcow2').subarray(4096, 4200).toString('utf8')).toContain('vm: (none)');
    await mutate(t, 'removeDisk', { id: disk.id }, 'removed');
    expect(existsSync(path.dirname(image))).toBe(false);
  });
});

describe.skipIf(!qemu)('round trip with real data', () => {
  it('export as OVA → import as a clone: the same VM field by field, and the same bytes in every disk', async () => {
    const res = await download(vm.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vireo-export-warnings')).toBeNull();
    const ova = Buffer.from(await res.arrayBuffer());
    // Each disk in the package is a qcow2 (compat 1.1) converted from its image; the manifest covers the real bytes.
    const unpacked = path.join(scratch, 'unpacked');
    const contents = await readOva(streamOf(ova), { requireManifest: true, extractTo: unpacked });
    for (const d of contents.vm.disks) {
      const info = JSON.parse(qemuImg('info', '--output=json', contents.extracted.get(d.file!.href)!));
      expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': d.capacityBytes, 'format-specific': { data: { compat: '1.1' } } });
    }
    expect(contents.vm).toMatchObject({
      guaranteedMemoryMb: 2048,
      highlyAvailable: true,
      haPriority: 50,
      stateless: true,
      displayType: 'SPICE',
    });
    expect(contents.warnings).toEqual([]); // a manifest, no signature

    const imported = await gqlUpload(
      t,
      IMPORT,
      {
        cluster: inv.cluster.id,
        storageDomain: inv.storage.id,
        clone: true,
        name: 'web01-copy',
        networks: [{ source: 'M-vmnet', network: inv.vmNet.id }],
        disks: [{ sourceDisk: contents.vm.disks.find((d) => d.alias === 'web01_data')!.id, storageDomain: second.id }],
      },
      ova,
    );
    expect(imported.data.importVm.__typename).toBe('MutationImportVmSuccess');
    const { warnings } = imported.data.importVm.imported;
    expect(warnings.map((w: any) => w.code)).not.toContain('DISK_DATA_NOT_CONVERTED');
    expect(warnings.map((w: any) => w.code)).not.toContain('DISK_DATA_NOT_IMPORTED');

    const before = await vmNode(vm.id);
    const after = await vmNode(imported.data.importVm.imported.vm.id);
    const fields = (v: any) => ({
      description: v.description,
      osType: v.osType,
      cpu: [v.cpuSockets, v.cpuCores, v.cpuThreads],
      memoryMb: v.memoryMb,
      guaranteedMemoryMb: v.guaranteedMemoryMb,
      highlyAvailable: v.highlyAvailable,
      haPriority: v.haPriority,
      stateless: v.stateless,
      displayType: v.displayType,
      nics: v.nics.map((n: any) => [n.name, n.interface, n.linked, n.plugged, n.network?.name ?? null]).sort(),
      disks: v.diskAttachments.map((a: any) => [
        a.disk.alias,
        a.disk.provisionedSizeBytes,
        a.disk.format,
        a.disk.sparse,
        a.bootable,
        a.interface,
        a.disk.storageDomain.name,
      ]),
    });
    expect(after.name).toBe('web01-copy');
    expect(fields(after)).toEqual(fields(before));
    expect(fields(after)).toMatchObject({
      guaranteedMemoryMb: 2048,
      highlyAvailable: true,
      haPriority: 50,
      stateless: true,
      displayType: 'SPICE',
    });

    for (const [i, a] of after.diskAttachments.entries()) {
      const source = before.diskAttachments[i].disk;
      const format = a.disk.format === 'COW' ? 'qcow2' : 'raw';
      const copy = await imageOf(a.disk.id);
      const info = JSON.parse(qemuImg('info', '--output=json', '-f', format, copy));
      expect(info.format).toBe(format);
      expect(a.disk.actualSizeBytes).toBe(a.disk.sparse ? info['actual-size'] : a.disk.provisionedSizeBytes);
      // Same guest-visible content: qemu-img compare exits 0 only when both read the same.
      qemuImg('compare', '-q', '-f', format, '-F', format, await imageOf(source.id), copy);
      expect(guestBytes(copy, format).subarray(4096, 4300).toString('utf8')).toContain(
        `disk: ${source.alias}\nid: ${uuidOf(source.id)}\nvm: web01\n`,
      );
    }
    await expect.poll(tmpLeft).toEqual([]);
  });
});

describe.skipIf(!qemu)('images that are refused create nothing and leave nothing', () => {
  async function exported() {
    const ova = Buffer.from(await (await download(vm.id)).arrayBuffer());
    const dir = mkdtempSync(path.join(scratch, 'ova-'));
    const contents = await readOva(streamOf(ova), { extractTo: dir });
    return contents;
  }
  async function refusedUpload(ova: Buffer, code: string) {
    const before = { ...(await snapshotCounts(t)), images: imageDirs() };
    const res = await gqlUpload(t, IMPORT, { cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true, name: 'refused' }, ova);
    expect(res.data.importVm).toMatchObject({ __typename: 'ValidationError', code });
    expect({ ...(await snapshotCounts(t)), images: imageDirs() }).toEqual(before);
    await expect.poll(tmpLeft).toEqual([]);
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'USER_ACTION_REFUSED' }, orderBy: { createdAt: 'desc' } });
    expect(event.message).toContain('could not import VM');
    return res.data.importVm;
  }
  const manifestOf = (files: { name: string; data: Buffer | string }[]) =>
    files.map((f) => `SHA256(${f.name})= ${createHash('sha256').update(f.data).digest('hex')}\n`).join('');

  it('corrupted image bytes: the checksum does not match', async () => {
    const c = await exported();
    const files = c.entries
      .filter((e) => e.name !== c.ovfName && !e.name.endsWith('.mf'))
      .map((e) => ({ name: e.name, data: readFileSync(c.extracted.get(e.name)!) }));
    const manifest = manifestOf([{ name: c.ovfName, data: c.ovfXml }, ...files]);
    files[0]!.data[files[0]!.data.length - 1] ^= 0xff;
    const r = await refusedUpload(
      await rawTar([{ name: c.ovfName, data: c.ovfXml }, ...files, { name: 'web01.mf', data: manifest }]),
      'OVA_CHECKSUM_MISMATCH',
    );
    expect(r.message).toContain(files[0]!.name);
  });

  it('an image larger than the disk it is declared for', async () => {
    const c = await exported();
    const xml = c.ovfXml.replace(`ovf:capacity="${2 * GiB}"`, `ovf:capacity="${GiB}"`).replace('ovf:size="2"', 'ovf:size="1"');
    expect(xml).not.toBe(c.ovfXml);
    const files = c.entries
      .filter((e) => e.name !== c.ovfName && !e.name.endsWith('.mf'))
      .map((e) => ({ name: e.name, data: readFileSync(c.extracted.get(e.name)!) }));
    const ova = await rawTar([
      { name: 'web01.ovf', data: xml },
      ...files,
      { name: 'web01.mf', data: manifestOf([{ name: 'web01.ovf', data: xml }, ...files]) },
    ]);
    const r = await refusedUpload(ova, 'OVF_IMAGE_LARGER_THAN_DISK');
    expect(r.reasons[0].message).toMatch(
      /web01_os: the image .* has a virtual size of 2147483648 bytes, more than the disk's capacity of 1073741824 bytes/,
    );
    // The dry run says the same before anything is converted.
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: PREVIEW,
        variables: { i: { cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true, name: 'refused', ova: null } },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.i.ova'] }));
    form.set('0', new File([new Uint8Array(ova)], 'vm.ova'));
    const preview = await (
      await t.yoga.fetch('http://vireo.test/graphql', { method: 'POST', body: form, headers: { authorization: `Bearer ${t.adminToken}` } })
    ).json();
    expect(preview.data.ovfImportPreview.allowed).toBe(false);
    expect(preview.data.ovfImportPreview.reasons.map((x: any) => x.code)).toEqual(['OVF_IMAGE_LARGER_THAN_DISK']);
    await expect.poll(tmpLeft).toEqual([]);
  });

  it('a qcow2 with a backing file on the host is refused as unsafe', async () => {
    const evil = path.join(scratch, 'evil.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', '-b', '/etc/hostname', '-F', 'raw', evil, String(64 * MiB));
    const r = await refusedUpload(
      await rawTar([
        { name: 'box.ovf', data: shared('vbox_Shubh823-Wad-Practicle_box.ovf') },
        { name: 'ubuntu-16.04-amd64-disk001.vmdk', data: readFileSync(evil) },
      ]),
      'OVA_IMAGE_UNSAFE',
    );
    expect(r.message).toContain('/etc/hostname');
  });

  it('an OVA cut short inside a disk image: a typed error at once, nothing left, an event', async () => {
    const ova = Buffer.from(await (await download(vm.id)).arrayBuffer());
    const started = Date.now();
    const r = await refusedUpload(ova.subarray(0, Math.floor(ova.length * 0.6)), 'OVA_INVALID');
    expect(r.message).toContain('truncated');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an upload over VIREO_MAX_OVA_BYTES, and a bare OVF over VIREO_MAX_OVF_BYTES', async () => {
    const ova = Buffer.from(await (await download(vm.id)).arrayBuffer());
    process.env.VIREO_MAX_OVA_BYTES = String(ova.length - 1);
    try {
      const r = await refusedUpload(ova, 'OVA_TOO_LARGE');
      expect(r.message).toContain(`The uploaded file vm.ova is larger than the limit of ${ova.length - 1} bytes`);
    } finally {
      delete process.env.VIREO_MAX_OVA_BYTES;
    }
    const ovf = Buffer.from(shared('vmware_govmomi_xp-multinic.ovf'));
    process.env.VIREO_MAX_OVF_BYTES = '1000';
    try {
      await refusedUpload(ovf, 'OVF_TOO_LARGE');
    } finally {
      delete process.env.VIREO_MAX_OVF_BYTES;
    }
  });
});

describe('the streamed multipart path', () => {
  /** A multipart upload of `size` bytes made as it is read; `pulled()` says how many bytes the engine read. */
  function lazyUpload(size: number) {
    const boundary = 'vireo-test-boundary';
    const head = Buffer.from(
      [
        `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: IMPORT, variables: { i: { cluster: inv.cluster.id, ova: null } } })}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.i.ova'] })}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.ova"\r\nContent-Type: application/x-tar\r\n\r\n`,
      ].join(''),
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    let sent = 0;
    const chunk = Buffer.alloc(MiB);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) {
          c.enqueue(head);
          sent += head.length;
          return;
        }
        if (sent >= size) {
          c.enqueue(tail);
          c.close();
          return;
        }
        c.enqueue(chunk);
        sent += chunk.length;
      },
    });
    return {
      body,
      length: head.length + Math.ceil(size / MiB) * MiB + tail.length,
      type: `multipart/form-data; boundary=${boundary}`,
      pulled: () => sent,
    };
  }

  it('refuses an anonymous upload before reading its body, and one whose declared length is over the limit', async () => {
    const anon = lazyUpload(300 * MiB);
    const res = await t.yoga.fetch('http://vireo.test/graphql', {
      method: 'POST',
      body: anon.body,
      headers: { 'content-type': anon.type },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anon.pulled()).toBeLessThan(4 * MiB);
    const bad = lazyUpload(300 * MiB);
    const forged = await t.yoga.fetch('http://vireo.test/graphql', {
      method: 'POST',
      body: bad.body,
      headers: { 'content-type': bad.type, authorization: 'Bearer not-a-session' },
      duplex: 'half',
    } as RequestInit);
    expect(forged.status).toBe(401);
    expect(bad.pulled()).toBeLessThan(4 * MiB);
    process.env.VIREO_MAX_OVA_BYTES = String(10 * MiB);
    try {
      const big = lazyUpload(300 * MiB);
      const res2 = await t.yoga.fetch('http://vireo.test/graphql', {
        method: 'POST',
        body: big.body,
        headers: { 'content-type': big.type, 'content-length': String(big.length), authorization: `Bearer ${t.adminToken}` },
        duplex: 'half',
      } as RequestInit);
      expect(res2.status).toBe(413);
      expect((await res2.json()).errors[0]).toMatchObject({ extensions: { code: 'OVA_TOO_LARGE' } });
      expect(big.pulled()).toBeLessThan(4 * MiB);
    } finally {
      delete process.env.VIREO_MAX_OVA_BYTES;
    }
    await expect.poll(tmpLeft).toEqual([]);
  });

  it('refuses a file placed before operations and map, and a made-up upload token in a JSON request', async () => {
    const form = new FormData();
    form.set('0', new File([new Uint8Array(16)], 'vm.ova'));
    form.set('operations', JSON.stringify({ query: IMPORT, variables: { i: { cluster: inv.cluster.id, ova: null } } }));
    form.set('map', JSON.stringify({ 0: ['variables.i.ova'] }));
    const res = await t.yoga.fetch('http://vireo.test/graphql', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toContain('operations and map must come before the files');
    const forged = await t.gql(IMPORT, {
      i: { cluster: inv.cluster.id, storageDomain: inv.storage.id, ova: { vireoUpload: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(forged.data.importVm).toMatchObject({ __typename: 'InputError', code: 'BAD_INPUT' });
    await expect.poll(tmpLeft).toEqual([]);
  });
});

describe.skipIf(!qemu)('a failure after the first images were written', () => {
  it('rolls back the rows and removes the image files (compensation), with an event saying why', async () => {
    const before = { ...(await snapshotCounts(t)), images: imageDirs() };
    // The second disk's image is announced but was never converted: execute fails after the first disk's image exists.
    const params = {
      ovf: shared('vmware_govmomi_xp-multinic.ovf'),
      source: 'OVA',
      clusterId: uuidOf(inv.cluster.id),
      storageDomainId: uuidOf(inv.storage.id),
      clone: true,
      name: 'half',
      files: [
        {
          name: 'xp-multinic-disk2.vmdk',
          sizeBytes: 68608n,
          image: { hostId: host.id, stageId: randomUUID(), format: 'vmdk', virtualSizeBytes: 2n * BigInt(GiB) },
        },
      ],
    };
    await expect(runAction(t.engine, SYSTEM_ACTOR, importVm, params)).rejects.toThrow(
      /the image of disk xp-multinic_Disk2 was not converted/,
    );
    expect({ ...(await snapshotCounts(t)), images: imageDirs() }).toEqual(before);
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'USER_ACTION_FAILED' }, orderBy: { createdAt: 'desc' } });
    expect(event.message).toContain('was not converted');
  });
});

describe.skipIf(!qemu)('other producers', () => {
  it('a bare OVF upload imports like the descriptor text (empty disks, with the warning)', async () => {
    const res = await gqlUpload(
      t,
      IMPORT,
      { cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: true, name: 'xp-upload' },
      Buffer.from(shared('vmware_govmomi_xp-multinic.ovf')),
      'xp.ovf',
    );
    expect(res.data.importVm.__typename).toBe('MutationImportVmSuccess');
    expect(res.data.importVm.imported.warnings.filter((w: any) => w.code === 'DISK_DATA_NOT_IMPORTED')).toHaveLength(2);
    const node = await vmNode(res.data.importVm.imported.vm.id);
    for (const a of node.diskAttachments) {
      expect(JSON.parse(qemuImg('info', '--output=json', '-f', 'qcow2', await imageOf(a.disk.id)))['virtual-size']).toBe(
        a.disk.provisionedSizeBytes,
      );
    }
  });

  it('VirtualBox OVA with a streamOptimized VMDK: converted to a qcow2 holding the same data', async () => {
    const raw = path.join(scratch, 'vbox.raw');
    const vmdk = path.join(scratch, 'vbox.vmdk');
    writeFileSync(raw, '');
    execFileSync('truncate', ['-s', String(64 * GiB), raw]);
    const fd = openSync(raw, 'r+');
    writeSync(fd, Buffer.from('hello from VirtualBox'), 0, 21, 512 * 2048);
    closeSync(fd);
    qemuImg('convert', '-q', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized', raw, vmdk);
    const ova = await rawTar([
      { name: 'box.ovf', data: shared('vbox_Shubh823-Wad-Practicle_box.ovf') },
      { name: 'ubuntu-16.04-amd64-disk001.vmdk', data: readFileSync(vmdk) },
    ]);
    const res = await gqlUpload(
      t,
      IMPORT,
      {
        cluster: inv.cluster.id,
        storageDomain: inv.storage.id,
        clone: true,
        name: 'vbox-copy',
        networks: [{ source: 'NAT', network: inv.vmNet.id }],
      },
      ova,
    );
    expect(res.data.importVm.__typename).toBe('MutationImportVmSuccess');
    expect(res.data.importVm.imported.warnings.map((w: any) => w.code)).not.toContain('DISK_DATA_NOT_CONVERTED');
    const node = await vmNode(res.data.importVm.imported.vm.id);
    expect(node.diskAttachments).toHaveLength(1);
    const disk = node.diskAttachments[0].disk;
    expect([disk.provisionedSizeBytes, disk.format, disk.sparse]).toEqual([64 * GiB, 'COW', true]);
    const image = await imageOf(disk.id);
    expect(JSON.parse(qemuImg('info', '--output=json', image)).format).toBe('qcow2');
    qemuImg('compare', '-q', '-f', 'raw', '-F', 'qcow2', raw, image);
    expect(disk.actualSizeBytes).toBeLessThan(10 * MiB);
  });
});
