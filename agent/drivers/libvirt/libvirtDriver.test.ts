// The libvirt driver against a scripted `virsh` (first on PATH): races between a report and a start
// that real libvirt shows only under load, made certain here by a slow `virsh list`.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibvirtDriver } from './libvirtDriver.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vireo-fake-virsh-'));
const FAKE_VIRSH = `#!/bin/sh
shift 2 # -c URI
case "$1" in
  list) sleep 0.5 ;;  # a listing that takes a while: libvirt on a loaded host
  domstats) ;;
  create) echo "Domain 'tiny' created from $2" ;;
  dumpxml) echo "<domain><devices><graphics type='vnc' port='5900' listen='0.0.0.0'/></devices></domain>" ;;
  event) exec sleep 60 ;;
esac
`;

describe('LibvirtDriver reports', () => {
  const path0 = process.env.PATH;
  let driver: LibvirtDriver;

  beforeAll(() => {
    writeFileSync(path.join(dir, 'virsh'), FAKE_VIRSH);
    chmodSync(path.join(dir, 'virsh'), 0o755);
    process.env.PATH = `${dir}:${path0}`;
    driver = new LibvirtDriver({ uri: 'test:///fake', stateDir: path.join(dir, 'state'), log: () => {} });
  });

  afterAll(() => {
    driver.close();
    process.env.PATH = path0;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a domain started while a listing was under way is not taken for one that vanished', async () => {
    const report = driver.stats(); // lists the domains before the start below has finished
    await driver.start({ id: '6f1c7a52-3a7e-4a35-9d2b-1f0c2a9e0b11', name: 'tiny', memoryMb: 128, vcpus: 1, osType: 'other_linux' });
    const { domains } = await report;
    expect(domains.filter((d) => d.state === 'DOWN')).toEqual([]);
  });
});
