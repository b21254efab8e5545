// The libvirt driver against a scripted `virsh` (first on PATH): races between a start and what
// libvirt says about the domains, which real libvirt shows only under load, made certain here.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LibvirtDriver } from './libvirtDriver.ts';

const SPEC = { id: '6f1c7a52-3a7e-4a35-9d2b-1f0c2a9e0b11', name: 'tiny', memoryMb: 128, vcpus: 1, osType: 'other_linux' };

interface Script {
  list: string;
  event: string;
  domstats?: string;
  create?: string;
}

/** A virsh whose `list`, `event` and `domstats` do what the test says; create and dumpxml answer at once. */
function fakeVirsh(dir: string, o: Script): void {
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(
    path.join(dir, 'bin', 'virsh'),
    `#!/bin/sh
shift 2 # -c URI
case "$1" in
  list) ${o.list} ;;
  domstats) ${o.domstats ?? ''} ;;
  create) ${o.create ?? `echo "Domain 'tiny' created from $2"`} ;;
  dumpxml) echo "<domain><devices><graphics type='vnc' port='5900' listen='0.0.0.0'/></devices></domain>" ;;
  event) ${o.event} ;;
esac
`,
  );
  chmodSync(path.join(dir, 'bin', 'virsh'), 0o755);
}

describe('LibvirtDriver reports', () => {
  const path0 = process.env.PATH;
  let dir: string;
  let driver: LibvirtDriver | null = null;

  function start(o: Script): LibvirtDriver {
    dir = mkdtempSync(path.join(tmpdir(), 'vireo-fake-virsh-'));
    fakeVirsh(dir, o);
    process.env.PATH = `${path.join(dir, 'bin')}:${path0}`;
    driver = new LibvirtDriver({ uri: 'test:///fake', stateDir: path.join(dir, 'state'), log: () => {} });
    return driver;
  }

  afterEach(() => {
    driver?.close();
    process.env.PATH = path0;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a domain started while a listing was under way is not taken for one that vanished', async () => {
    const d = start({ list: 'sleep 0.5', event: 'exec sleep 60' }); // a listing that takes a while: libvirt on a loaded host
    const report = d.stats(); // lists the domains before the start below has finished
    await d.start(SPEC);
    const { domains } = await report;
    expect(domains.filter((x) => x.state === 'DOWN')).toEqual([]);
  });

  it('a Stopped event of an earlier domain of the same name, arriving late, does not stop the new one', async () => {
    // The event stream delivers, after a delay, the failure of a start of "tiny" from 5 s ago.
    const d = start({
      list: `echo "${SPEC.id} tiny"`,
      domstats: `printf "Domain: 'tiny'\\n  state.state=1\\n  state.reason=1\\n"`,
      event: `sleep 0.5; echo "$(date -u -d '-5 seconds' '+%Y-%m-%d %H:%M:%S.000+0000'): event 'lifecycle' for domain 'tiny': Stopped Failed"; exec sleep 60`,
    });
    await d.start(SPEC);
    await new Promise((r) => setTimeout(r, 1500));
    const { domains } = await d.stats();
    expect(domains.filter((x) => x.state === 'DOWN')).toEqual([]);
  });

  it('a domain libvirt is still tearing down (listed, shut off) is not reported Down without its reason', async () => {
    const d = start({
      list: `echo "${SPEC.id} tiny"`,
      domstats: `printf "Domain: 'tiny'\\n  state.state=5\\n  state.reason=2\\n"`,
      event: 'exec sleep 60',
    });
    const { domains } = await d.stats();
    expect(domains).toEqual([]);
  });

  it('a start that fails while a listing is under way leaves no domain behind to report', async () => {
    // libvirt lists the domain while QEMU starts (paused, "starting up"), then QEMU fails and the create with it.
    const d = start({
      list: `sleep 0.5; echo "${SPEC.id} tiny"`,
      domstats: `printf "Domain: 'tiny'\\n  state.state=3\\n  state.reason=11\\n"`,
      create: 'sleep 0.2; echo "error: qemu: could not open kernel file" >&2; exit 1',
      event: 'exec sleep 60',
    });
    const listing = d.stats();
    await expect(d.start(SPEC)).rejects.toThrow(/could not open kernel file/);
    expect((await listing).domains).toEqual([]);
  });
});
