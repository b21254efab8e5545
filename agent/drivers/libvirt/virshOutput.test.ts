// Output captured from libvirt 9.0 / QEMU 7.2 running the tiny test guest.
import { describe, expect, it } from 'vitest';
import { domainState, exitFromEvent } from './domainState.ts';
import { guestData, parseDomainList, parseDomstats, parseEventLine, parseFields, virshError } from './virshOutput.ts';

const domstats = `Domain: 'tiny'
  state.state=1
  state.reason=1
  cpu.time=6725165000
  balloon.current=131072
  balloon.available=94780
  balloon.usable=62240
  net.count=1
  block.count=1
  block.0.name=vda
  block.0.rd.bytes=2216448

Domain: 'other vm'
  state.state=3
  state.reason=1
`;

const guestinfo = `user.count          : 0
os.id               : debian
os.name             : Debian GNU/Linux
os.pretty-name      : Debian GNU/Linux 12 (bookworm)
os.version          : 12 (bookworm)
os.kernel-release   : 6.1.0-57-cloud-amd64
hostname            : tiny
fs.count            : 1
fs.0.name           : vda
fs.0.mountpoint     : /data
fs.0.fstype         : ext2
fs.0.total-bytes    : 61629440
fs.0.used-bytes     : 13312
if.count            : 2
if.0.name           : lo
if.0.addr.count     : 1
if.0.addr.0.addr    : 127.0.0.1
if.1.name           : eth0
if.1.hwaddr         : 56:6f:00:00:00:01
if.1.addr.count     : 3
if.1.addr.0.addr    : 10.0.2.15
if.1.addr.1.addr    : fec0::546f:ff:fe00:1
if.1.addr.2.addr    : fe80::546f:ff:fe00:1
`;

describe('virsh output', () => {
  it('reads domstats per domain', () => {
    const s = parseDomstats(domstats);
    expect([...s.keys()]).toEqual(['tiny', 'other vm']);
    expect(s.get('tiny')!.get('cpu.time')).toBe('6725165000');
    expect(s.get('tiny')!.get('block.0.name')).toBe('vda');
    expect(s.get('other vm')!.get('state.state')).toBe('3');
  });

  it("reads the guest agent's data: addresses but loopback and link-local, OS, file systems", () => {
    expect(guestData(parseFields(guestinfo))).toEqual({
      hostname: 'tiny',
      ips: ['10.0.2.15', 'fec0::546f:ff:fe00:1'],
      users: [],
      os: { name: 'Debian GNU/Linux 12 (bookworm)', version: '12 (bookworm)', kernel: '6.1.0-57-cloud-amd64' },
      filesystems: [{ mountpoint: '/data', type: 'ext2', totalBytes: 61629440, usedBytes: 13312 }],
    });
  });

  it('reads domjobinfo fields, whose names have spaces', () => {
    const job = parseFields(
      'Job type:         Unbounded\nOperation:        Outgoing migration\nData processed:   100.423 MiB\nData remaining:   27.710 MiB\nData total:       128.133 MiB\n',
    );
    expect([job.get('Operation'), job.get('Data remaining'), job.get('Data total')]).toEqual([
      'Outgoing migration',
      '27.710 MiB',
      '128.133 MiB',
    ]);
  });

  it('reads domain lists and event lines', () => {
    expect(parseDomainList('11111111-2222-4333-8444-555555555555 tiny\n22222222-2222-4333-8444-555555555555 a b\n\n')).toEqual([
      { id: '11111111-2222-4333-8444-555555555555', name: 'tiny' },
      { id: '22222222-2222-4333-8444-555555555555', name: 'a b' },
    ]);
    expect(parseEventLine("2026-12-06 06:03:17.625+0000: event 'lifecycle' for domain 'tiny': Stopped Failed")).toEqual({
      kind: 'lifecycle',
      domain: 'tiny',
      event: 'Stopped',
      detail: 'Failed',
      at: Date.parse('2026-12-06T06:03:17.625Z'),
    });
    expect(parseEventLine("event 'lifecycle' for domain 'tiny': Started Booted")).toEqual({
      kind: 'lifecycle',
      domain: 'tiny',
      event: 'Started',
      detail: 'Booted',
    });
    expect(
      parseEventLine("2026-12-06 06:03:06.197+0000: event 'agent-lifecycle' for domain 'tiny': state: 'connected' reason: 'channel event'"),
    ).toEqual({ kind: 'agent', domain: 'tiny', connected: true });
    expect(parseEventLine("event 'agent-lifecycle' for domain 'tiny': state: 'disconnected' reason: 'domain started'")).toEqual({
      kind: 'agent',
      domain: 'tiny',
      connected: false,
    });
    expect(parseEventLine('events received: 3')).toBeNull();
  });

  it("keeps libvirt's words from stderr", () => {
    expect(
      virshError(
        'error: Failed to update device from /tmp/g.xml\nerror: unsupported configuration: VNC password is 24 characters long, only 8 permitted\n',
      ),
    ).toBe('Failed to update device from /tmp/g.xml: unsupported configuration: VNC password is 24 characters long, only 8 permitted');
    expect(
      virshError(
        "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory\n",
      ),
    ).toBe("failed to connect to the hypervisor: Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory");
  });
});

describe('domain states', () => {
  const running = { state: 1, reason: 1, agentConnected: true, uptimeSeconds: 5 };
  it('a booted domain is PoweringUp until its guest agent connects (or a minute passed), then Up', () => {
    expect(domainState({ ...running, agentConnected: false })).toBe('POWERING_UP');
    expect(domainState(running)).toBe('UP');
    expect(domainState({ ...running, agentConnected: false, uptimeSeconds: 61 })).toBe('UP');
    expect(domainState({ ...running, agentConnected: false, reason: 3 })).toBe('UP'); // restored
  });
  it('paused by the user, by an incoming migration, by a save; shut off', () => {
    expect(domainState({ ...running, state: 3, reason: 1 })).toBe('PAUSED');
    expect(domainState({ ...running, state: 3, reason: 2 })).toBe('MIGRATING_TO');
    expect(domainState({ ...running, state: 3, reason: 3 })).toBe('SAVING_STATE');
    expect(domainState({ ...running, state: 5, reason: 1 })).toBe('DOWN');
    expect(domainState({ ...running, transition: 'POWERING_DOWN' })).toBe('POWERING_DOWN');
  });
  it('exit reasons from Stopped events', () => {
    expect(exitFromEvent('Failed')).toEqual({ reason: 'CRASHED', message: 'QEMU exited unexpectedly (the emulator process ended)' });
    expect(exitFromEvent('Shutdown').reason).toBe('SHUTDOWN');
    expect(exitFromEvent('Saved').reason).toBe('SAVED');
    expect(exitFromEvent('Migrated').reason).toBe('MIGRATED');
  });
});
