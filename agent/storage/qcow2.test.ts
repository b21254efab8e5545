// The pure-TS empty qcow2 images (disk images without qemu-img): header fields, and `qemu-img check` when it is installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyQcow2 } from './qcow2.ts';

const GiB = 1024n ** 3n;
const qemuImg = (() => {
  try {
    execFileSync('qemu-img', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('emptyQcow2', () => {
  it('writes a version 3 header with the virtual size, 64 KiB clusters and an L1 table that covers it', () => {
    const img = emptyQcow2(20n * GiB);
    expect(img.readUInt32BE(0)).toBe(0x514649fb);
    expect(img.readUInt32BE(4)).toBe(3);
    expect(img.readUInt32BE(20)).toBe(16);
    expect(img.readBigUInt64BE(24)).toBe(20n * GiB);
    expect(img.readUInt32BE(36)).toBe(40); // 20 GiB / 512 MiB per L2 table
    expect(img.byteLength).toBe(4 * 65536);
  });

  it('rounds the size up to whole sectors and grows the L1 table for large disks', () => {
    expect(emptyQcow2(1000n).readBigUInt64BE(24)).toBe(1024n);
    expect(emptyQcow2(8n * 1024n * GiB).byteLength).toBe((3 + 2) * 65536);
  });

  it.skipIf(!qemuImg)('passes qemu-img check, with the virtual size qemu-img reports', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-qcow2-'));
    try {
      for (const size of [1536n * 1024n * 1024n, 128n * GiB, 5n * 1024n * GiB]) {
        const file = path.join(dir, `${size}.qcow2`);
        writeFileSync(file, emptyQcow2(size));
        execFileSync('qemu-img', ['check', file]);
        const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' }));
        expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': Number(size) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
