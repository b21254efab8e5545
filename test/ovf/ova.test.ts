// OVA packages: write → read round trip, and each refusal of a hostile or broken package.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readOva, safeEntryName, writeOva } from '../../server/ovf/ova.ts';
import { OvaError, OvfUnsafeError } from '../../server/ovf/errors.ts';
import { readOvf } from '../../server/ovf/reader.ts';
import { writeOvirtOvf } from '../../server/ovf/writer.ts';
import { toOvirtDescription } from '../../server/ovf/ovirtIds.ts';
import { own, shared } from './descriptors.ts';
import { rawTar, sink, streamOf, type RawEntry } from './packages.ts';

const XP = shared('vmware_govmomi_xp-multinic.ovf'); // references xp-multinic-disk1.vmdk and -disk2.vmdk
const DISK1 = Buffer.from('disk one content');
const DISK2 = Buffer.from('second disk');

async function xpOva(): Promise<Buffer> {
  const out = sink();
  await writeOva(out.stream, { name: 'xp-multinic.ovf', xml: XP }, [
    { name: 'xp-multinic-disk1.vmdk', sizeBytes: DISK1.byteLength, content: DISK1 },
    {
      name: 'xp-multinic-disk2.vmdk',
      sizeBytes: DISK2.byteLength,
      content: () => Readable.from([DISK2.subarray(0, 4), DISK2.subarray(4)]),
    },
  ]);
  return out.done();
}

async function refusal(tarBuf: Buffer, options: Parameters<typeof readOva>[1] = {}): Promise<OvaError> {
  try {
    await readOva(streamOf(tarBuf), options);
  } catch (e) {
    if (e instanceof OvaError) return e;
    throw e;
  }
  throw new Error('the package was accepted');
}

const sha = (s: string | Buffer) => import('node:crypto').then((c) => c.createHash('sha256').update(s).digest('hex'));

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'vireo-ova-'));
  dirs.push(d);
  return d;
}

describe('writeOva / readOva', () => {
  it('writes the descriptor first, the disks, then a SHA256 manifest, and reads it all back', async () => {
    const tarBuf = await xpOva();
    const dir = tempDir();
    const ova = await readOva(streamOf(tarBuf), { extractTo: dir, requireManifest: true });
    expect(ova.entries.map((e) => e.name)).toEqual([
      'xp-multinic.ovf',
      'xp-multinic-disk1.vmdk',
      'xp-multinic-disk2.vmdk',
      'xp-multinic.mf',
    ]);
    expect(ova.ovfXml).toBe(XP);
    expect(ova.vm).toEqual(readOvf(XP));
    expect(ova.manifest?.get('xp-multinic-disk1.vmdk')).toEqual({ algorithm: 'SHA256', digest: await sha(DISK1) });
    expect(ova.manifest?.get('xp-multinic.ovf')?.digest).toBe(await sha(XP));
    expect(readFileSync(path.join(dir, 'xp-multinic-disk2.vmdk'))).toEqual(DISK2);
    expect(readdirSync(dir).sort()).toEqual(['xp-multinic-disk1.vmdk', 'xp-multinic-disk2.vmdk']);
  });

  it('packs an oVirt OVF whose files live in <disk id>/<image id>', async () => {
    const vm = toOvirtDescription(readOvf(shared('vbox_Shubh823-Wad-Practicle_box.ovf')));
    const xml = writeOvirtOvf(vm);
    const out = sink();
    await writeOva(out.stream, { name: 'vm.ovf', xml }, [{ name: vm.disks[0]!.file!.href, sizeBytes: 3, content: Buffer.from('abc') }]);
    const ova = await readOva(streamOf(out.done()));
    expect(ova.vm).toEqual(vm);
  });

  it('accepts SHA1 manifests (older ovftool)', async () => {
    const { createHash } = await import('node:crypto');
    const s1 = (b: string | Buffer) => createHash('sha1').update(b).digest('hex');
    const mf = `SHA1(xp.ovf)= ${s1(XP)}\nSHA1(xp-multinic-disk1.vmdk)= ${s1(DISK1)}\nSHA1(xp-multinic-disk2.vmdk)= ${s1(DISK2)}\n`;
    const ova = await readOva(
      streamOf(
        await rawTar([
          { name: 'xp.ovf', data: XP },
          { name: 'xp-multinic-disk1.vmdk', data: DISK1 },
          { name: 'xp-multinic-disk2.vmdk', data: DISK2 },
          { name: 'xp.mf', data: mf },
        ]),
      ),
    );
    expect(ova.manifest?.size).toBe(3);
  });
});

describe('readOva refusals', () => {
  const good: RawEntry[] = [
    { name: 'xp.ovf', data: XP },
    { name: 'xp-multinic-disk1.vmdk', data: DISK1 },
    { name: 'xp-multinic-disk2.vmdk', data: DISK2 },
  ];

  it.each([
    ['path traversal', '../evil.vmdk'],
    ['nested traversal', 'a/../../evil.vmdk'],
    ['an absolute path', '/etc/cron.d/evil'],
    ['a Windows drive path', 'C:/evil'],
    ['a backslash path', '..\\evil'],
  ])('refuses %s', async (_, name) => {
    const e = await refusal(await rawTar([...good, { name, data: 'x' }]));
    expect(e.code).toBe('OVA_UNSAFE_ENTRY');
  });

  it.each([
    ['a symlink', { name: 'link.vmdk', type: 'symlink', linkname: '/etc/passwd' }],
    ['a hard link', { name: 'hard.vmdk', type: 'link', linkname: 'xp.ovf' }],
  ] as const)('refuses %s', async (_, entry) => {
    const e = await refusal(await rawTar([...good, entry]));
    expect(e.code).toBe('OVA_UNSAFE_ENTRY');
    expect(e.entry).toBe(entry.name);
  });

  it('refuses a duplicate entry', async () => {
    expect((await refusal(await rawTar([...good, { name: 'xp-multinic-disk1.vmdk', data: 'again' }]))).code).toBe('OVA_UNSAFE_ENTRY');
  });

  it('refuses a missing disk', async () => {
    const e = await refusal(await rawTar(good.slice(0, 2)));
    expect(e.code).toBe('OVA_MISSING_FILE');
    expect(e.entry).toBe('xp-multinic-disk2.vmdk');
  });

  it('refuses a checksum mismatch, and removes what it extracted', async () => {
    const tarBuf = await xpOva();
    const tampered = Buffer.from(tarBuf);
    const at = tampered.indexOf(DISK1);
    tampered[at] = tampered[at]! ^ 0xff; // flip the first byte of disk1's content
    const dir = tempDir();
    const e = await refusal(tampered, { extractTo: dir });
    expect(e.code).toBe('OVA_CHECKSUM_MISMATCH');
    expect(e.entry).toBe('xp-multinic-disk1.vmdk');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file the manifest does not cover, and a manifest naming a missing file', async () => {
    const mf = `SHA256(xp.ovf)= ${await sha(XP)}\nSHA256(xp-multinic-disk1.vmdk)= ${await sha(DISK1)}\n`;
    expect((await refusal(await rawTar([...good, { name: 'xp.mf', data: mf }]))).code).toBe('OVA_CHECKSUM_MISMATCH');
    const mf2 = `${mf}SHA256(xp-multinic-disk2.vmdk)= ${await sha(DISK2)}\nSHA256(ghost.vmdk)= ${await sha('')}\n`;
    expect((await refusal(await rawTar([...good, { name: 'xp.mf', data: mf2 }]))).code).toBe('OVA_MISSING_FILE');
  });

  it('refuses a malformed manifest', async () => {
    expect((await refusal(await rawTar([...good, { name: 'xp.mf', data: 'MD5(xp.ovf)= 00' }]))).code).toBe('OVA_INVALID');
  });

  it('refuses oversize entries before reading them', async () => {
    const e = await refusal(await rawTar(good), { maxEntryBytes: 12 });
    expect(e.code).toBe('OVA_TOO_LARGE');
    expect(e.entry).toBe('xp-multinic-disk1.vmdk');
    expect((await refusal(await rawTar(good), { maxOvfBytes: 100 })).code).toBe('OVA_TOO_LARGE');
    expect((await refusal(await rawTar(good), { maxEntries: 2 })).code).toBe('OVA_TOO_LARGE');
    expect((await refusal(await rawTar(good), { maxTotalBytes: XP.length + 20 })).code).toBe('OVA_TOO_LARGE');
  });

  it('refuses a package whose first entry is not the descriptor', async () => {
    expect((await refusal(await rawTar([good[1]!, good[0]!, good[2]!]))).code).toBe('OVA_INVALID');
  });

  it('refuses a package without a manifest when one is required', async () => {
    expect((await refusal(await rawTar(good), { requireManifest: true })).code).toBe('OVA_INVALID');
  });

  it.each([
    ['inside a disk', (tar: Buffer): number => tar.indexOf(DISK1) + 5, true],
    ['inside the descriptor', (): number => 700, false],
    ['inside a header', (tar: Buffer): number => tar.indexOf(Buffer.from('xp-multinic-disk2.vmdk')) + 30, true],
  ] as const)('refuses a package truncated %s, removes what it extracted, and does not hang', async (_, cut, extracting) => {
    const tarBuf = await xpOva();
    const dir = tempDir();
    const started = Date.now();
    const e = await refusal(tarBuf.subarray(0, cut(tarBuf)), extracting ? { extractTo: dir } : {});
    expect(e.code).toBe('OVA_INVALID');
    expect(e.message).toMatch(/truncated|end/i);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses something that is not a tar', async () => {
    expect((await refusal(Buffer.from('PK\u0003\u0004 this is a zip, not a tar'.padEnd(1024, '!')))).code).toBe('OVA_INVALID');
  });

  it("passes on the OVF reader's error for a hostile descriptor", async () => {
    await expect(readOva(streamOf(await rawTar([{ name: 'x.ovf', data: own('billion-laughs.ovf') }])))).rejects.toBeInstanceOf(
      OvfUnsafeError,
    );
  });

  it('refuses a descriptor that references a file outside the package', async () => {
    const evil = XP.replace('ovf:href="xp-multinic-disk1.vmdk"', 'ovf:href="../../etc/shadow"');
    expect((await refusal(await rawTar([{ name: 'xp.ovf', data: evil }, good[1]!, good[2]!]))).code).toBe('OVA_UNSAFE_ENTRY');
  });

  it('refuses unsafe names when writing too', async () => {
    expect(() => safeEntryName('../x')).toThrow(OvaError);
    await expect(
      writeOva(sink().stream, { name: 'a.ovf', xml: XP }, [{ name: '/abs.vmdk', sizeBytes: 1, content: Buffer.from('x') }]),
    ).rejects.toMatchObject({ code: 'OVA_UNSAFE_ENTRY' });
  });
});
