// ISO domains hold real ISO images uploaded through the API: `PUT /iso-images/<domain>/<name>`
// over real HTTP, streamed through the engine to the storage host's agent, which writes the file
// on the domain. Images made with genisoimage; what is not an ISO, over the limit, cut off or not
// permitted is refused with a clear error and leaves no file (not even a partial one).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestEngine } from '../support/testEngine.ts';
import { userWithRole } from '../support/inventory.ts';
import { startPosixStorage, type PosixDomain, type PosixStorage } from '../support/posixStorage.ts';
import { isoUploadUrl, makeIso, uploadIso } from '../support/isoFiles.ts';

const MiB = 1024 ** 2;
let storage: PosixStorage;
let t: TestEngine;
let isoDomain: PosixDomain;
let dataDomain: PosixDomain;
let work: string;
let iso: string;

beforeAll(async () => {
  storage = await startPosixStorage('I', 'iso-host');
  t = storage.t;
  isoDomain = await storage.addDomain('I-iso', 'ISO');
  dataDomain = await storage.addDomain('I-posix');
  work = mkdtempSync(path.join(os.tmpdir(), 'vireo-iso-test-'));
  iso = makeIso(work, 'tools.iso', 'VIREOTOOLS', { 'readme.txt': 'vireo tools\n', 'blob.bin': Buffer.alloc(MiB, 7) });
});
afterAll(async () => {
  await storage?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const isoFolder = (d: PosixDomain) => path.join(d.path, d.id, 'images', '11111111-1111-1111-1111-111111111111');
const filesOn = (d: PosixDomain) => (existsSync(isoFolder(d)) ? readdirSync(isoFolder(d)).sort() : []);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const upload = (domainId: string, name: string, body: Buffer | Readable, token = t.adminToken) =>
  uploadIso(storage.url, token, domainId, name, body);

const listed = async (d: PosixDomain) =>
  (
    await t.gql(
      `query($id: ID!) { node(id: $id) { ... on StorageDomain { isoImages(first: 50) { edges { node { id name sizeBytes } } } } } }`,
      {
        id: d.gid,
      },
    )
  ).data.node.isoImages.edges.map((e: any) => e.node);
const events = async (code: string) =>
  (
    await t.gql(`query($c: String) { events(first: 50, filter: { code: $c }) { edges { node { message } } } }`, { c: code })
  ).data.events.edges.map((e: any) => e.node.message as string);

describe('ISO images on an ISO domain', () => {
  let imageGid: string;

  it('takes a real ISO over HTTP; the host writes it whole on the domain and it is listed', async () => {
    const r = await upload(isoDomain.gid, 'tools.iso', readFileSync(iso));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.isoImage).toMatchObject({ name: 'tools.iso', sizeBytes: readFileSync(iso).length });
    imageGid = r.body.isoImage.id;
    expect(filesOn(isoDomain)).toEqual(['tools.iso']);
    expect(sha(readFileSync(path.join(isoFolder(isoDomain), 'tools.iso')))).toBe(sha(readFileSync(iso)));
    expect(await listed(isoDomain)).toEqual([{ id: imageGid, name: 'tools.iso', sizeBytes: readFileSync(iso).length }]);
    expect((await events('TRANSFER_IMAGE_SUCCEEDED')).join('\n')).toMatch(/tools\.iso .* uploaded to Storage Domain I-iso/);
  });

  it('takes a body of unknown length (chunked) too', async () => {
    const r = await upload(
      isoDomain.gid,
      'chunked.iso',
      Readable.from([readFileSync(iso).subarray(0, 40_000), readFileSync(iso).subarray(40_000)]),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(sha(readFileSync(path.join(isoFolder(isoDomain), 'chunked.iso')))).toBe(sha(readFileSync(iso)));
  });

  it('streams a ~100 MB image through (reported: MB/s)', async () => {
    const big = makeIso(work, 'big.iso', 'VIREOBIG', { 'payload.bin': Buffer.alloc(100 * MiB, 0x5a) });
    const bytes = readFileSync(big);
    const started = performance.now();
    const r = await upload(isoDomain.gid, 'hundred.iso', Readable.from([bytes]));
    const seconds = (performance.now() - started) / 1000;
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    console.log(
      `ISO upload of ${(bytes.length / MiB).toFixed(0)} MiB over HTTP to the host's domain: ${seconds.toFixed(2)} s, ${(bytes.length / MiB / seconds).toFixed(0)} MiB/s`,
    );
    expect(sha(readFileSync(path.join(isoFolder(isoDomain), 'hundred.iso')))).toBe(sha(bytes));
    rmSync(big);
    const removed = await t.gql(`mutation($i: RemoveIsoImageInput!) { removeIsoImage(input: $i) { __typename } }`, {
      i: { isoImage: r.body.isoImage.id },
    });
    expect(removed.data.removeIsoImage.__typename).toBe('MutationRemoveIsoImageSuccess');
    await vi.waitFor(() => expect(filesOn(isoDomain)).not.toContain('hundred.iso'), { timeout: 10_000, interval: 100 });
  });

  it('refuses what is not an ISO 9660 image, keeping nothing', async () => {
    const before = filesOn(isoDomain);
    const r = await upload(isoDomain.gid, 'fake.iso', Buffer.alloc(200_000, 0x41));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('NOT_AN_ISO_IMAGE');
    expect(r.body.error.message).toMatch(/not an ISO 9660 image.*CD001/);
    expect(filesOn(isoDomain)).toEqual(before);
    expect((await listed(isoDomain)).map((i: any) => i.name)).not.toContain('fake.iso');
    expect((await events('USER_ACTION_REFUSED')).join('\n')).toMatch(/fake\.iso is not an ISO 9660 image/);
  });

  it('refuses an image over VIREO_MAX_ISO_BYTES, declared or streamed, keeping nothing', async () => {
    const before = filesOn(isoDomain);
    const saved = process.env.VIREO_MAX_ISO_BYTES;
    process.env.VIREO_MAX_ISO_BYTES = String(512 * 1024);
    try {
      const declared = await upload(isoDomain.gid, 'big.iso', readFileSync(iso));
      expect(declared.status).toBe(413);
      expect(declared.body.error).toMatchObject({ code: 'ISO_TOO_LARGE' });
      expect(declared.body.error.message).toMatch(/larger than the limit of 524288 bytes/);
      const streamed = await upload(isoDomain.gid, 'big.iso', Readable.from([readFileSync(iso)]));
      expect(streamed.status).toBe(413);
      expect(streamed.body.error.code).toBe('ISO_TOO_LARGE');
    } finally {
      if (saved === undefined) delete process.env.VIREO_MAX_ISO_BYTES;
      else process.env.VIREO_MAX_ISO_BYTES = saved;
    }
    expect(filesOn(isoDomain)).toEqual(before);
    expect((await listed(isoDomain)).map((i: any) => i.name)).not.toContain('big.iso');
  });

  it('keeps nothing of an upload cut off midway, and says why in the event log', async () => {
    const before = filesOn(isoDomain);
    const bytes = readFileSync(iso);
    const url = isoUploadUrl(storage.url, isoDomain.id, 'cut.iso');
    await new Promise<void>((resolve) => {
      const req = http.request(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-length': bytes.length },
      });
      req.on('error', () => resolve());
      req.write(bytes.subarray(0, 300_000), () => setTimeout(() => req.destroy(), 300));
    });
    await vi.waitFor(async () => expect((await events('USER_ACTION_REFUSED')).join('\n')).toMatch(/cut\.iso .*cut off/), {
      timeout: 15_000,
      interval: 200,
    });
    expect(filesOn(isoDomain)).toEqual(before);
    expect((await listed(isoDomain)).map((i: any) => i.name)).not.toContain('cut.iso');
  });

  it('refuses a name that is not a plain .iso file name, a data domain, a taken name and a user without CREATE_DISK', async () => {
    const bytes = readFileSync(iso);
    const bad = await upload(isoDomain.gid, '../escape.iso', bytes);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_INPUT');
    const data = await upload(dataDomain.gid, 'tools.iso', bytes);
    expect(data.status).toBe(409);
    expect(data.body.error.code).toBe('STORAGE_DOMAIN_NOT_ISO');
    const taken = await upload(isoDomain.gid, 'tools.iso', bytes);
    expect(taken.body.error.code).toBe('ISO_IMAGE_EXISTS');
    const viewer = await userWithRole(t, 'iso-viewer', 'ReadOnlyAdmin', storage.inv.dc.id);
    const denied = await upload(isoDomain.gid, 'viewer.iso', bytes, viewer);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    const anonymous = await fetch(isoUploadUrl(storage.url, isoDomain.id, 'anon.iso'), { method: 'PUT', body: 'x' });
    expect(anonymous.status).toBe(401);
    expect(filesOn(isoDomain)).toEqual(['chunked.iso', 'tools.iso']);
    expect(existsSync(path.join(isoDomain.path, 'escape.iso'))).toBe(false);
  });

  it('removes an image (dry run first): the file and the listing go, with an event', async () => {
    const can = await t.gql(`query($i: RemoveIsoImageInput!) { canRemoveIsoImage(input: $i) { allowed reasons { code } } }`, {
      i: { isoImage: imageGid },
    });
    expect(can.data.canRemoveIsoImage).toEqual({ allowed: true, reasons: [] });
    const r = await t.gql(`mutation($i: RemoveIsoImageInput!) { removeIsoImage(input: $i) { __typename ... on Error { code message } } }`, {
      i: { isoImage: imageGid },
    });
    expect(r.data.removeIsoImage.__typename).toBe('MutationRemoveIsoImageSuccess');
    await vi.waitFor(() => expect(filesOn(isoDomain)).toEqual(['chunked.iso']), { timeout: 10_000, interval: 100 });
    expect((await listed(isoDomain)).map((i: any) => i.name)).toEqual(['chunked.iso']);
    expect((await events('USER_REMOVE_ISO_IMAGE')).join('\n')).toMatch(/tools\.iso was removed from Storage Domain I-iso/);
    const again = await t.gql(`query($i: RemoveIsoImageInput!) { canRemoveIsoImage(input: $i) { allowed reasons { code } } }`, {
      i: { isoImage: imageGid },
    });
    expect(again.data.canRemoveIsoImage.allowed).toBe(false);
  });

  it('refresh lists images copied onto the domain by hand, drops those whose file is gone, and leaves out non-ISO files', async () => {
    // An administrator copies two files onto the domain (scp, cp) and deletes one by hand.
    const handMade = makeIso(work, 'hand.iso', 'HANDCOPIED', { 'note.txt': 'copied by hand\n' });
    copyFileSync(handMade, path.join(isoFolder(isoDomain), 'hand.iso'));
    writeFileSync(path.join(isoFolder(isoDomain), 'notes.iso'), 'not an image\n');
    rmSync(path.join(isoFolder(isoDomain), 'chunked.iso'));
    const viewer = await userWithRole(t, 'iso-refresh-viewer', 'ReadOnlyAdmin', storage.inv.dc.id);
    const refresh = `mutation($i: RefreshIsoImagesInput!) { refreshIsoImages(input: $i) { __typename ... on Error { code message } } }`;
    expect((await t.gqlAs(viewer, refresh, { i: { storageDomain: isoDomain.gid } })).data.refreshIsoImages.__typename).toBe(
      'ForbiddenError',
    );
    const onData = await t.gql(`query($i: RefreshIsoImagesInput!) { canRefreshIsoImages(input: $i) { allowed reasons { code } } }`, {
      i: { storageDomain: dataDomain.gid },
    });
    expect(onData.data.canRefreshIsoImages).toEqual({ allowed: false, reasons: [{ code: 'STORAGE_DOMAIN_NOT_ISO' }] });
    expect((await listed(isoDomain)).map((i: any) => i.name)).toEqual(['chunked.iso']);
    const r = await t.gql(refresh, { i: { storageDomain: isoDomain.gid } });
    expect(r.data.refreshIsoImages.__typename, JSON.stringify(r)).toBe('MutationRefreshIsoImagesSuccess');
    expect((await listed(isoDomain)).map((i: any) => [i.name, i.sizeBytes])).toEqual([['hand.iso', readFileSync(handMade).length]]);
    expect(await events('ISO_DOMAIN_REFRESHED')).toEqual([
      'ISO images of Storage Domain I-iso were refreshed by admin@internal: found hand.iso; removed chunked.iso (file gone); ' +
        'left out notes.iso (not an ISO 9660 image).',
    ]);
    // The files stay as they were: a refresh only reads the domain.
    expect(filesOn(isoDomain)).toEqual(['hand.iso', 'notes.iso']);
  });
});
