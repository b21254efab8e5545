// Real VMs: the engine's GraphQL API, an agent process on the libvirt driver, the project's own
// libvirtd (scripts/libvirt/libvirtd.sh) and QEMU booting the tiny guest built from Debian
// packages. One guest boots at a time (the machines have 2 shared cores and no KVM).
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { SHOTS, adminPage, buildUi, launchChromium, runBrowserTests } from '../ui/browser.ts';
import { isoLabel, makeIso, readIsoFile, uploadIso } from '../support/isoFiles.ts';
import {
  buildGuest,
  guestExec,
  requireLibvirt,
  rfb,
  root,
  spawnLibvirtAgent,
  startLibvirtd,
  vethNics,
  type Guest,
  type Libvirtd,
} from '../support/libvirt.ts';

const libvirt = requireLibvirt();
const MiB = 1024 ** 2;
const BOOT_TIMEOUT = 120_000;
const TINY_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvireotestkeyvireotestkeyvireotestkey00 ops@example.org';

describe.skipIf(!libvirt.run)(`real VMs on libvirt and QEMU${libvirt.run ? '' : ` (skipped: ${libvirt.reason})`}`, () => {
  let t: TestEngine;
  let server: { url: string; stop(): Promise<void> };
  let ws: Client;
  let lv: Libvirtd;
  let lv2: Libvirtd;
  let agent2: ChildProcess | null = null;
  let host2Gid: string;
  let token2: string;
  let guest: Guest;
  let agent: ChildProcess | null = null;
  let hostGid: string;
  let hostName: string;
  let token: string;
  let vmGid: string;
  let storageDir: string;
  let isoDir: string;
  let isoDomainId: string;
  const isoImages: Record<string, string> = {};
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vireo-agent-'));
  // Each host's NIC: one end of a veth pair (the machine's own NIC is never Vireo's), named for
  // this run, so two runs on one machine (two worktrees, CI beside a developer) do not take each other's.
  const RUN = (process.pid % 46_656).toString(36);
  const NICS = { 1: `vir${RUN}1a`, 2: `vir${RUN}2a` } as const;
  let removeNics: (() => Promise<void>) | null = null;
  const timings: Record<string, number> = {};

  function startAgentProcess(which: 1 | 2 = 1): ChildProcess {
    const [name, tok, libvirtd] = which === 1 ? [hostName, token, lv] : ['lv-host2', token2, lv2];
    return spawnLibvirtAgent({
      engineUrl: server.url,
      name,
      token: tok,
      uri: libvirtd.uri,
      stateDir: path.join(stateDir, name),
      nics: [NICS[which]],
      args: ['--migration-uri', libvirtd.uri, '--migration-address', '127.0.0.1'],
    });
  }

  /** Installs an executable in a host's hooks folder (the agent's default: hooks in its state dir). */
  function hook(event: string, name: string, body: string, host = 'lv-host1') {
    const dir = path.join(stateDir, host, 'hooks', event);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(dir, name), 0o755);
  }

  async function query<T = any>(q: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await t.gql(q, variables);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as T;
  }

  const vmNow = async () =>
    (
      await query(
        `query($id: ID!) { node(id: $id) { ... on Vm { status host { name }
    statistics { cpuPercent uptimeSeconds guestHostname guestIps memUsedMb diskWriteBps }
    console { protocol address port websocketPort } } } }`,
        { id: vmGid },
      )
    ).node;
  const hostNow = async () =>
    (
      await query(
        `query($id: ID!) { node(id: $id) { ... on Host { status statusReason cpuModel osVersion
    nics { name } networkAttachments { network { name } nic { name } } } } }`,
        { id: hostGid },
      )
    ).node;
  const events = async (code: string) =>
    (
      await query(`query($f: EventFilter) { events(first: 20, filter: $f) { edges { node { code message } } } }`, {
        f: { code, vm: vmGid },
      })
    ).events.edges.map((e: { node: { message: string } }) => e.node.message) as string[];

  /** Waits for the VM's status; on a timeout, the error lists the VM's events (why it is where it is). */
  async function vmReaches(status: string, timeout: number) {
    try {
      await vi.waitFor(
        async () => {
          const vm = await vmNow();
          if (vm.status !== status) throw new Error(`VM is ${vm.status}`);
        },
        { timeout, interval: 100 },
      );
    } catch (e) {
      const list = await query(`query($f: EventFilter) { events(first: 30, filter: $f) { edges { node { createdAt code message } } } }`, {
        f: { vm: vmGid },
      });
      const lines = list.events.edges.map(
        (x: { node: { createdAt: string; code: string; message: string } }) => `${x.node.createdAt} ${x.node.code}: ${x.node.message}`,
      );
      throw new Error(`${(e as Error).message}; the VM's events, newest first:\n${lines.join('\n')}`);
    }
  }

  async function act(name: string, input: Record<string, unknown>) {
    const Input = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
    const data = await query(
      `mutation($input: ${Input}!) { ${name}(input: $input) { __typename ... on Error { code message } ... on ValidationError { reasons { code message } } } }`,
      { input },
    );
    return data[name] as { __typename: string; code?: string; message?: string };
  }

  /** Runs the VM from the tiny guest's kernel (run once) and waits until it is Up; returns the milliseconds that took. */
  async function runTinyVm(): Promise<number> {
    const started = Date.now();
    const r = await act('runVm', {
      id: vmGid,
      host: hostGid,
      runOnce: { kernelPath: guest.kernel, initrdPath: guest.initrd, kernelParams: 'console=ttyS0 quiet mitigations=off hn=tiny01' },
    });
    expect(r.__typename, JSON.stringify(r)).toBe('MutationRunVmSuccess');
    await vmReaches('UP', BOOT_TIMEOUT);
    return Date.now() - started;
  }

  beforeAll(async () => {
    guest = buildGuest();
    if (runBrowserTests) {
      buildUi(); // the console in Chromium
      mkdirSync(SHOTS, { recursive: true });
    }
    lv = await startLibvirtd(path.join(root, '.cache/libvirt-test/lv1'), 1);
    lv2 = await startLibvirtd(path.join(root, '.cache/libvirt-test/lv2'), 2);
    removeNics = await vethNics([
      [NICS[1], `vir${RUN}1b`],
      [NICS[2], `vir${RUN}2b`],
    ]);
    t = await startTestEngine();
    server = await t.listen();
    ws = createClient({
      url: server.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${t.adminToken}` },
    });
    const inv = await buildInventory(t, 'L');
    // Both hosts share this machine's network stack, where only one bridge can be called ovirtmgmt:
    // here the management network is a non-VM network (no bridge; hostNetworks.test.ts has bridges).
    await mutate(t, 'updateNetwork', { id: inv.mgmt.id, vmNetwork: false }, 'network');
    hostName = 'lv-host1';
    const host = await mutate(t, 'addHost', { name: hostName, address: '127.0.0.1', cluster: inv.cluster.id }, 'host');
    hostGid = host.id;
    const res = await query(
      `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
      { input: { hostId: hostGid } },
    );
    token = res.issueHostAgentToken.agentToken.token;
    host2Gid = (await mutate(t, 'addHost', { name: 'lv-host2', address: '127.0.0.2', cluster: inv.cluster.id }, 'host')).id;
    token2 = (
      await query(
        `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
        { input: { hostId: host2Gid } },
      )
    ).issueHostAgentToken.agentToken.token;
    // VDSM hooks of lv-host1 (its agent's default hooks folder, in its state dir), there before its hello.
    hook(
      'before_vm_start',
      '10_describe',
      `[ -n "$vireo_tag" ] || exit 0
sed -i "s|</name>|</name><description>tagged $vireo_tag by before_vm_start</description>|" "$_hook_domxml"`,
    );
    hook(
      'before_vm_start',
      '20_refuse',
      `[ "$vireo_refuse" = yes ] || exit 0
echo "vireo_refuse: this VM may not start here" >&2; exit 1`,
    );
    await mutate(
      t,
      'updateCluster',
      {
        id: inv.cluster.id,
        customProperties: [
          { name: 'vireo_tag', valueRegex: '[a-z0-9]+' },
          { name: 'vireo_refuse', valueRegex: '(yes|no)' },
        ],
      },
      'cluster',
    );
    // The host's agent makes the VM's disk image (a host of the data center does the image work).
    agent = startAgentProcess();
    await vi.waitFor(async () => expect((await hostNow()).status).toBe('UP'), { timeout: 60_000, interval: 200 });
    // A local domain is added once a host of the data center is Up to reach it.
    storageDir = mkdtempSync(path.join(root, '.cache/libvirt-test/storage-'));
    process.env.VIREO_STORAGE_ROOTS = path.join(root, '.cache/libvirt-test');
    const storage = await mutate(
      t,
      'addStorageDomain',
      { name: 'L-local', dataCenter: inv.dc.id, path: storageDir, storageType: 'LOCALFS' },
      'storageDomain',
    );
    // An ISO domain with two real ISO images (uploaded over HTTP; the host writes them) for the VM's CD-ROM.
    isoDir = mkdtempSync(path.join(root, '.cache/libvirt-test/iso-'));
    const isoDomain = await mutate(
      t,
      'addStorageDomain',
      { name: 'L-iso', dataCenter: inv.dc.id, path: isoDir, storageType: 'LOCALFS', domainType: 'ISO' },
      'storageDomain',
    );
    isoDomainId = decodeGlobalID(isoDomain.id).id;
    for (const [name, label] of [
      ['first.iso', 'FIRST'],
      ['second.iso', 'SECOND'],
    ] as const) {
      const file = makeIso(stateDir, name, label, { 'label.txt': `${label}\n` });
      const r = await uploadIso(server.url, t.adminToken, isoDomain.id, name, readFileSync(file));
      if (r.status !== 201) throw new Error(`upload of ${name}: ${JSON.stringify(r.body)}`);
      isoImages[name] = r.body.isoImage.id;
    }
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'tiny01',
        cdrom: isoImages['first.iso'],
        // cloud-init's config drive (the tiny guest has no cloud-init: only the drive is checked).
        initialization: { hostName: 'tiny01.example.org', userName: 'ops', password: 'Tiny-Pass-1', sshAuthorizedKeys: [TINY_KEY] },
        cluster: inv.cluster.id,
        memoryMb: 128,
        guaranteedMemoryMb: 96, // MOM may take 32 MiB back (the ballooning test)
        cpuCores: 1,
        osType: 'other_linux',
        disks: [
          {
            alias: 'tiny01-data',
            storageDomain: storage.id,
            provisionedSizeBytes: 64 * MiB,
            format: 'COW',
            interface: 'VIRTIO',
            bootable: true,
          },
        ],
        nics: [{ name: 'nic1' }], // no logical network: user-mode networking (QEMU's slirp)
      },
      'vm',
    );
    vmGid = vm.id;
  }, 300_000);

  afterAll(async () => {
    agent?.kill('SIGKILL');
    agent2?.kill('SIGKILL');
    await lv?.stop();
    await lv2?.stop();
    await removeNics?.();
    await ws?.dispose();
    await server?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    rmSync(stateDir, { recursive: true, force: true });
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
    if (isoDir) rmSync(isoDir, { recursive: true, force: true });
    console.log(`libvirt timings (ms): ${JSON.stringify(timings)}`);
  });

  it('the agent on the libvirt driver registers the host with what libvirt reports, Up', async () => {
    // Started before the VM was added (its disk image is the host's work).
    const host = await hostNow();
    expect(host.status).toBe('UP');
    expect(host.osVersion).toMatch(/libvirt \d+\.\d+\.\d+, QEMU \d+\.\d+/);
    expect(host.cpuModel).not.toBe('');
    // Only the NIC given with --nics, carrying the management network the engine sent on the first hello.
    expect(host.nics).toEqual([{ name: NICS[1] }]);
    expect(host.networkAttachments).toEqual([{ network: { name: 'ovirtmgmt' }, nic: { name: NICS[1] } }]);
    // What the host is and runs: libvirt's and QEMU's versions, the kernel, its NUMA nodes (DMI only where libvirt may read it).
    const { hardware } = (
      await query(
        `query($id: ID!) { node(id: $id) { ... on Host { hardware { kernel libvirtVersion qemuVersion numaNodes { cpus memoryMb } } } } }`,
        {
          id: hostGid,
        },
      )
    ).node;
    expect(hardware.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(hardware.qemuVersion).toMatch(/^\d+\.\d+/);
    expect(hardware.kernel).toBe(release());
    expect(hardware.numaNodes.length).toBeGreaterThanOrEqual(1);
    expect(hardware.numaNodes[0].cpus.length).toBeGreaterThanOrEqual(1);
    expect(hardware.numaNodes[0].memoryMb).toBeGreaterThan(0);
  });

  it("a start that libvirt refuses fails the action with libvirt's words and leaves the VM Down", async () => {
    const r = await act('runVm', { id: vmGid, runOnce: { kernelPath: '/nonexistent/vmlinuz' } });
    const text = JSON.stringify(r);
    expect(text).toMatch(/nonexistent\/vmlinuz/);
    expect(text).toMatch(/host lv-host1:/);
    await vmReaches('DOWN', 30_000);
  });

  it('a before_vm_start hook that fails: the start fails with its stderr, nothing runs in libvirt, the VM stays Down', async () => {
    expect((await query(`query($id: ID!) { node(id: $id) { ... on Host { hooks { event name } } } }`, { id: hostGid })).node.hooks).toEqual(
      [
        { event: 'before_vm_start', name: '10_describe' },
        { event: 'before_vm_start', name: '20_refuse' },
      ],
    );
    await mutate(t, 'updateVm', { id: vmGid, customProperties: [{ name: 'vireo_refuse', value: 'yes' }] }, 'vm');
    const r = await act('runVm', {
      id: vmGid,
      host: hostGid,
      runOnce: { kernelPath: guest.kernel, initrdPath: guest.initrd, kernelParams: 'console=ttyS0 quiet' },
    });
    expect(r).toMatchObject({
      __typename: 'ActionFailedError',
      message: 'Failed to run VM: host lv-host1: before_vm_start hook 20_refuse failed: vireo_refuse: this VM may not start here',
    });
    await vmReaches('DOWN', 10_000);
    expect((await events('USER_ACTION_FAILED')).join(' ')).toContain('vireo_refuse: this VM may not start here');
    const { stdout } = await promisify(execFile)('virsh', ['-c', lv.uri, 'list', '--all', '--name']);
    expect(stdout.trim()).toBe('');
    await mutate(t, 'updateVm', { id: vmGid, customProperties: [{ name: 'vireo_tag', value: 'hooked42' }] }, 'vm');
  }, 60_000);

  it('runs the VM from a real qcow2 on its file storage domain: Up, with real stats moving on vmStats and the guest agent data', async () => {
    const disk = (
      await query(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id storageDomain { id } } } } } }`, { id: vmGid })
    ).node.diskAttachments[0].disk;
    const image = statSync(path.join(storageDir, decodeGlobalID(disk.storageDomain.id).id, 'images', decodeGlobalID(disk.id).id));
    expect(image.isDirectory()).toBe(true);

    const samples: { cpuPercent: number; uptimeSeconds: number; sampledAt: string; guestHostname: string; receivedAt: number }[] = [];
    const stats = ws.iterate<{ vmStats: (typeof samples)[number] }>({
      query: `subscription($id: ID!) { vmStats(vmId: $id) { cpuPercent uptimeSeconds sampledAt guestHostname } }`,
      variables: { id: vmGid },
    });
    const collecting = (async () => {
      for await (const r of stats) {
        samples.push({ ...r.data!.vmStats, receivedAt: Date.now() });
        if (samples.length >= 30) break;
      }
    })();

    timings.runVmToUp = await runTinyVm();
    const vm = await vmNow();
    expect(vm.host.name).toBe('lv-host1');
    await vi.waitFor(
      async () => {
        const s = (await vmNow()).statistics;
        expect(s.guestHostname).toBe('tiny01');
        expect(s.guestIps).toContain('10.0.2.15');
      },
      { timeout: 30_000, interval: 200 },
    );

    await vi.waitFor(
      () => {
        const withUptime = samples.filter((s) => s.uptimeSeconds > 0);
        expect(withUptime.length).toBeGreaterThanOrEqual(3);
        expect(new Set(withUptime.map((s) => s.uptimeSeconds)).size).toBeGreaterThanOrEqual(3); // moving
        expect(withUptime.some((s) => s.cpuPercent > 0)).toBe(true);
      },
      { timeout: 30_000, interval: 200 },
    );
    await stats.return?.();
    await collecting.catch(() => {});
    const ages = samples.slice(1).map((s) => s.receivedAt - Date.parse(s.sampledAt));
    timings.statsAgeMedian = ages.sort((a, b) => a - b)[Math.floor(ages.length / 2)] ?? -1;
  }, 300_000);

  it("a before_vm_start hook's rewrite of the domain XML is what libvirt runs", async () => {
    const { stdout } = await promisify(execFile)('virsh', ['-c', lv.uri, 'dumpxml', 'tiny01']);
    expect(stdout).toContain('<description>tagged hooked42 by before_vm_start</description>');
  });

  it('a NIC added to the running VM is hot-plugged: libvirt lists it (virsh domiflist) and the guest sees it; removed, it goes', async () => {
    const NIC_FIELDS = `__typename ... on Error { code message } ... on MutationAddVmNicSuccess { nic { id macAddress } }`;
    const added = (
      await query(`mutation($i: AddVmNicInput!) { addVmNic(input: $i) { ${NIC_FIELDS} } }`, { i: { vm: vmGid, name: 'hot1' } })
    ).addVmNic;
    expect(added.__typename, JSON.stringify(added)).toBe('MutationAddVmNicSuccess');
    const mac = added.nic.macAddress as string;
    const domiflist = async () => (await promisify(execFile)('virsh', ['-c', lv.uri, 'domiflist', 'tiny01'])).stdout;
    expect(await domiflist()).toMatch(new RegExp(`\\s+user\\s+-\\s+virtio\\s+${mac}\\s*$`, 'm'));
    const guestMacs = async () => (await guestExec(lv.uri, 'tiny01', '/bin/sh', ['-c', 'cat /sys/class/net/*/address'])).out;
    await vi.waitFor(async () => expect(await guestMacs()).toContain(mac), {
      timeout: 30_000,
      interval: 500,
    });
    expect((await events('NETWORK_ADD_VM_INTERFACE'))[0]).toMatch(/hot-plugged on host lv-host1\.$/);
    const removed = (
      await query(`mutation($i: RemoveVmNicInput!) { removeVmNic(input: $i) { __typename ... on Error { code message } } }`, {
        i: { vm: vmGid, nic: added.nic.id },
      })
    ).removeVmNic;
    expect(removed.__typename, JSON.stringify(removed)).toBe('MutationRemoveVmNicSuccess');
    expect(await domiflist()).not.toContain(mac);
  }, 90_000);

  const TICKET = `mutation($input: ConsoleTicketInput!) { consoleTicket(input: $input) { __typename
    ... on MutationConsoleTicketSuccess { ticket { password websocketPort proxyPath } } ... on Error { message } } }`;
  const consoleTicket = async (validSeconds: number) =>
    (await query(TICKET, { input: { vm: vmGid, validSeconds } })).consoleTicket.ticket as {
      password: string;
      websocketPort: number;
      proxyPath: string;
    };
  const engineWs = () => new URL(server.url).origin.replace('http', 'ws');

  it("console ticket: the host's VNC WebSocket and the engine's proxy accept it, the proxy once; expired, both refuse", async () => {
    const vm = await vmNow();
    expect(vm.console).toMatchObject({ protocol: 'VNC', port: expect.any(Number), websocketPort: expect.any(Number) });
    const url = `ws://127.0.0.1:${vm.console.websocketPort}`;
    const first = await consoleTicket(60);
    expect(first.websocketPort).toBe(vm.console.websocketPort);
    expect(first.proxyPath).toMatch(/^\/console\/vireo_console_[\w-]{43}$/);
    const ok = await rfb(url, first.password);
    expect(ok.output).toMatch(/^banner RFB 003\.008; authenticated; desktop \d+x\d+ "QEMU \(tiny01\)"/);
    expect(ok.ok).toBe(true);
    const wrong = await rfb(url, 'wrong123');
    expect(wrong).toMatchObject({ ok: false, output: expect.stringContaining('authentication refused') });

    // Through the engine: the same console, once.
    const proxied = await rfb(`${engineWs()}${first.proxyPath}`, first.password);
    expect(proxied).toMatchObject({ ok: true, output: expect.stringMatching(/authenticated; desktop \d+x\d+ "QEMU \(tiny01\)"/) });
    const again = await rfb(`${engineWs()}${first.proxyPath}`, first.password);
    expect(again).toEqual({ ok: false, output: 'closed by the server: 4410 This console ticket was already used: ask for a new one.' });
    const forged = await rfb(`${engineWs()}/console/vireo_console_${'x'.repeat(43)}`, first.password);
    expect(forged).toEqual({ ok: false, output: 'closed by the server: 4401 No such console ticket: ask for one with consoleTicket.' });
    await vi.waitFor(async () => expect(await events('VM_CONSOLE_DISCONNECTED')).toHaveLength(1), { timeout: 10_000 });
    expect((await events('VM_CONSOLE_CONNECTED'))[0]).toMatch(
      /^User admin@internal is connected to VM tiny01 \(console through the engine, from 127\.0\.0\.1\)/,
    );

    // A new ticket replaces the password; once its time is over, neither the host nor the proxy takes it.
    const second = await consoleTicket(10);
    await new Promise((r) => setTimeout(r, 11_000));
    const expired = await rfb(url, second.password);
    expect(expired).toMatchObject({ ok: false, output: expect.stringContaining('authentication refused') });
    const expiredPass = await rfb(`${engineWs()}${second.proxyPath}`, second.password);
    expect(expiredPass).toEqual({ ok: false, output: 'closed by the server: 4410 This console ticket has expired: ask for a new one.' });
  }, 120_000);

  it.skipIf(!runBrowserTests)(
    "the console in Chromium: the admin VM page shows the guest's screen, and keys typed reach the guest",
    async () => {
      const browser = await launchChromium();
      try {
        const page = await adminPage(browser, t);
        await page.goto(`${new URL(server.url).origin}/vms/${vmGid}`);
        const open = page.getByRole('button', { name: 'Open console' });
        await expect.poll(() => open.isEnabled(), { timeout: 20_000 }).toBe(true);
        await open.click();
        const dialog = page.getByRole('dialog', { name: 'Console of tiny01' });
        await dialog
          .getByTestId('console-state')
          .filter({ hasText: /^Connected$/ })
          .waitFor({ timeout: 20_000 });
        const canvas = dialog.getByTestId('console-screen').locator('canvas');
        // What the canvas shows: pixels unlike the first one (text on the guest's screen).
        const drawn = () =>
          canvas.evaluate((c: HTMLCanvasElement) => {
            const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            let differing = 0;
            for (let i = 4; i < data.length; i += 4)
              if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differing++;
            return differing;
          });
        await expect.poll(drawn, { timeout: 20_000 }).toBeGreaterThan(200);
        await canvas.screenshot({ path: path.join(SHOTS, 'console-tiny01.png') });

        // Keys typed in the page reach the guest's shell on its console.
        await canvas.click();
        await page.keyboard.type('touch /tmp/typedthroughvireo', { delay: 30 });
        await page.keyboard.press('Enter');
        await expect
          .poll(async () => (await guestExec(lv.uri, 'tiny01', '/bin/ls', ['/tmp/typedthroughvireo'])).exitcode, { timeout: 20_000 })
          .toBe(0);
        await canvas.screenshot({ path: path.join(SHOTS, 'console-tiny01-typed.png') });
        await page.screenshot({ path: path.join(SHOTS, 'console-dialog.png') });
        await dialog.getByRole('button', { name: 'Disconnect' }).click();
        await dialog.getByTestId('console-state').filter({ hasText: 'Disconnected' }).waitFor();
      } finally {
        await browser.close();
      }
    },
    180_000,
  );

  it("ballooning under the cluster's policy: the guest's MemTotal shrinks to its guaranteed memory, then grows back", async () => {
    const memTotalKb = async () =>
      Number(/MemTotal:\s+(\d+)/.exec((await guestExec(lv.uri, 'tiny01', '/bin/cat', ['/proc/meminfo'])).out)![1]);
    const actualKb = async () =>
      Number(/^actual (\d+)/m.exec((await promisify(execFile)('virsh', ['-c', lv.uri, 'dommemstat', 'tiny01'])).stdout)![1]);
    const full = await memTotalKb();
    expect(await actualKb()).toBe(128 * 1024);
    const cluster = (await query(`query($id: ID!) { node(id: $id) { ... on Vm { cluster { id } } } }`, { id: vmGid })).node.cluster.id;
    // Under 99 % free, always here: MOM takes memory back, a step at a time, down to the guaranteed 96 MiB.
    const started = Date.now();
    await mutate(
      t,
      'updateCluster',
      { id: cluster, ballooningEnabled: true, ballooningLowFreePercent: 99, ballooningHighFreePercent: 100 },
      'cluster',
    );
    await vi.waitFor(async () => expect(await actualKb()).toBe(96 * 1024), { timeout: 60_000, interval: 500 });
    timings.balloonToGuaranteed = Date.now() - started;
    await vi.waitFor(async () => expect(full - (await memTotalKb())).toBe(32 * 1024), { timeout: 10_000, interval: 500 });
    await vi.waitFor(
      async () =>
        expect((await events('VM_MEMORY_RECLAIMED'))[0]).toMatch(
          /^Host lv-host1 is short of memory \([\d.]+ % free, under 99 %\): the balloon of VM tiny01 took \d+ MiB back, leaving it 96 MiB \(guaranteed 96 MiB\)\.$/,
        ),
      { timeout: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(await actualKb()).toBe(96 * 1024); // never below the guarantee

    // Ballooning off: the guest gets its memory back.
    await mutate(t, 'updateCluster', { id: cluster, ballooningEnabled: false }, 'cluster');
    await vi.waitFor(async () => expect(await memTotalKb()).toBe(full), { timeout: 30_000, interval: 500 });
    expect((await events('VM_MEMORY_RETURNED'))[0]).toMatch(
      /gave VM tiny01 32 MiB back through its balloon \(ballooning is off in its cluster\); it has 128 MiB\.$/,
    );
  }, 120_000);

  it('the CD-ROM: libvirt runs the VM with its ISO, and a change while it runs reaches QEMU at once', async () => {
    const virsh = async (...args: string[]) => (await promisify(execFile)('virsh', ['-c', lv.uri, ...args])).stdout;
    const cdrom = async () => /<disk type='file' device='cdrom'>[\s\S]*?<\/disk>/.exec(await virsh('dumpxml', 'tiny01'))?.[0] ?? '';
    // QEMU's own view of its drives (the monitor's `info block`).
    const qemuCd = async () =>
      (await virsh('qemu-monitor-command', 'tiny01', '--hmp', 'info block')).split(/\r?\n\s*\r?\n/).find((p) => p.includes('ua-cdrom')) ??
      '';
    const file = (name: string) => path.join(isoDir, isoDomainId, 'images', '11111111-1111-1111-1111-111111111111', name);
    expect(await cdrom()).toContain(`<source file='${file('first.iso')}'`);
    expect(await cdrom()).toContain('<readonly/>');
    expect(await qemuCd()).toContain(file('first.iso'));

    const started = performance.now();
    const r = await act('updateVm', { id: vmGid, cdrom: isoImages['second.iso'] });
    timings.changeCd = Math.round(performance.now() - started);
    expect(r.__typename, JSON.stringify(r)).toBe('MutationUpdateVmSuccess');
    expect(await cdrom()).toContain(`<source file='${file('second.iso')}'`);
    expect(await qemuCd()).toContain(file('second.iso'));

    expect((await act('updateVm', { id: vmGid, ejectCdrom: true })).__typename).toBe('MutationUpdateVmSuccess');
    expect(await cdrom()).not.toContain('<source file=');
    expect(await qemuCd()).not.toContain('.iso');
    expect((await vmNow()).status).toBe('UP');

    // The cloud-init config drive: a second CD-ROM, an ISO labelled cidata holding what was asked.
    const cidata =
      /<disk type='file' device='cdrom'>(?:(?!<\/disk>)[\s\S])*?ua-cidata[\s\S]*?<\/disk>/.exec(await virsh('dumpxml', 'tiny01'))?.[0] ??
      '';
    const drive = /<source file='([^']+)'/.exec(cidata)?.[1] ?? '';
    expect(drive).toMatch(/-cidata\.iso$/);
    expect(isoLabel(drive)).toBe('cidata');
    const userData = JSON.parse(readIsoFile(drive, 'user-data').replace(/^#cloud-config\n/, ''));
    expect(userData).toMatchObject({ hostname: 'tiny01', fqdn: 'tiny01.example.org' });
    expect(userData.users[1]).toMatchObject({ name: 'ops', plain_text_passwd: 'Tiny-Pass-1', ssh_authorized_keys: [TINY_KEY] });
    expect(
      JSON.stringify(
        await query(`query($id: ID!) { node(id: $id) { ... on Vm { initialization { userName passwordSet } } } }`, { id: vmGid }),
      ),
    ).not.toContain('Tiny-Pass-1');
  }, 60_000);

  it('a live snapshot: the running disk goes on over a new qcow2 overlay; restored, the guest reads the data of that moment', async () => {
    const run = promisify(execFile);
    const inGuest = (script: string) => guestExec(lv.uri, 'tiny01', '/bin/sh', ['-c', script]);
    const diskSource = async () =>
      /<disk type='file' device='disk'>[\s\S]*?<source file='([^']+)'/.exec(
        (await run('virsh', ['-c', lv.uri, 'dumpxml', 'tiny01'])).stdout,
      )?.[1];
    expect((await inGuest('echo before > /data/mark && sync')).exitcode).toBe(0);
    const top = await diskSource();
    expect(top).toBeTruthy();
    const started = performance.now();
    const created = await query(
      `mutation($input: CreateSnapshotInput!) { createSnapshot(input: $input) { __typename ... on Error { message }
        ... on MutationCreateSnapshotSuccess { snapshot { id } } } }`,
      { input: { vm: vmGid, description: 'live' } },
    );
    timings.liveSnapshot = Math.round(performance.now() - started);
    expect(created.createSnapshot.__typename, JSON.stringify(created)).toBe('MutationCreateSnapshotSuccess');
    // Still running, now on a new qcow2 overlay (beside it) whose backing is the file it ran on until then.
    expect((await vmNow()).status).toBe('UP');
    const overlay = await diskSource();
    expect(overlay).not.toBe(top);
    const info = JSON.parse((await run('qemu-img', ['info', '-U', '--output=json', overlay!])).stdout);
    expect(info).toMatchObject({ format: 'qcow2', 'backing-filename-format': 'qcow2' });
    expect(path.join(path.dirname(overlay!), info['backing-filename'])).toBe(top);
    expect((await inGuest('echo after > /data/mark && sync && cat /data/mark')).out.trim()).toBe('after');
    // Down, restored and up again: the guest reads what its disk held at the snapshot.
    expect((await act('shutdownVm', { id: vmGid })).__typename).toBe('MutationShutdownVmSuccess');
    await vmReaches('DOWN', 60_000);
    const restored = await act('restoreSnapshot', { vm: vmGid, snapshot: created.createSnapshot.snapshot.id });
    expect(restored.__typename, JSON.stringify(restored)).toBe('MutationRestoreSnapshotSuccess');
    await runTinyVm();
    expect((await inGuest('cat /data/mark')).out.trim()).toBe('before');
  }, 240_000);

  it('kill -9 of the agent while the VM runs: the restarted agent finds the domain and reports it Up', async () => {
    const downs = { plain: (await events('VM_DOWN')).length, error: (await events('VM_DOWN_ERROR')).length };
    agent!.kill('SIGKILL');
    await new Promise((r) => agent!.once('exit', r));
    const before = (await vmNow()).statistics.uptimeSeconds;
    agent = startAgentProcess();
    await vi.waitFor(
      async () => {
        const vm = await vmNow();
        expect(vm.status).toBe('UP');
        expect(vm.statistics.uptimeSeconds).toBeGreaterThan(before); // reported by the new agent, same boot
      },
      { timeout: 60_000, interval: 200 },
    );
    expect((await vmNow()).statistics.guestHostname).toBe('tiny01');
    expect((await events('VM_DOWN')).length).toBe(downs.plain);
    expect((await events('VM_DOWN_ERROR')).length).toBe(downs.error);
  }, 120_000);

  /** What one idle guest costs its host: QEMU's resident memory, and its CPU share over 5 s. */
  async function guestCost(): Promise<{ rssMb: number; cpuPercent: number }> {
    const pid = lv.qemuPid('tiny01');
    const ticks = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
    };
    const t0 = ticks();
    await new Promise((r) => setTimeout(r, 5000));
    const cpuPercent = (ticks() - t0) / 5; // ticks per 5 s → % of one core
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    return { rssMb: Math.round(rssKb / 1024), cpuPercent };
  }

  it('suspend to disk and restore: memory saved on the storage domain, hooks run, the guest goes on where it was', async () => {
    const cost = await guestCost();
    timings.guestRssMb = cost.rssMb;
    timings.guestIdleCpuPercent = cost.cpuPercent;
    const marks = path.join(stateDir, 'hibernate-hooks');
    for (const event of ['before_vm_hibernate', 'after_vm_hibernate', 'after_vm_dehibernate']) {
      hook(event, '10_mark', `echo ${event} >> ${marks}`);
    }
    hook(
      'before_vm_dehibernate',
      '10_describe',
      `sed -i "s|<description>[^<]*</description>|<description>restored by before_vm_dehibernate</description>|" "$_hook_domxml"
echo before_vm_dehibernate >> ${marks}`,
    );
    const uptime = async (uri: string) => Number((await guestExec(uri, 'tiny01', '/bin/cat', ['/proc/uptime'])).out.split(' ')[0]);
    const before = await uptime(lv.uri);
    const domainId = decodeGlobalID(
      (await query(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { storageDomain { id } } } } } }`, { id: vmGid }))
        .node.diskAttachments[0].disk.storageDomain.id,
    ).id;
    const memory = path.join(storageDir, domainId, 'memory', `${decodeGlobalID(vmGid).id}.save`);

    let started = Date.now();
    expect((await act('suspendVm', { id: vmGid })).__typename).toBe('MutationSuspendVmSuccess');
    await vmReaches('SUSPENDED', 120_000);
    timings.suspendToDisk = Date.now() - started;
    expect(statSync(memory).size).toBeGreaterThan(MiB); // the guest's memory, beside its images
    expect((await promisify(execFile)('virsh', ['-c', lv.uri, 'list', '--all', '--name'])).stdout.trim()).toBe('');
    expect((await events('VM_SUSPENDED')).length).toBe(1);

    started = Date.now();
    expect((await act('runVm', { id: vmGid, host: hostGid })).__typename).toBe('MutationRunVmSuccess');
    await vmReaches('UP', 120_000);
    timings.restoreToUp = Date.now() - started;
    expect(await uptime(lv.uri)).toBeGreaterThan(before); // the same boot, resumed, not a new one
    const { stdout } = await promisify(execFile)('virsh', ['-c', lv.uri, 'dumpxml', 'tiny01']);
    expect(stdout).toContain('<description>restored by before_vm_dehibernate</description>');
    expect(existsSync(memory)).toBe(false);
    await vi.waitFor(() =>
      expect(readFileSync(marks, 'utf8').trim().split('\n')).toEqual([
        'before_vm_hibernate',
        'after_vm_hibernate',
        'before_vm_dehibernate',
        'after_vm_dehibernate',
      ]),
    );
    await vi.waitFor(async () => expect((await vmNow()).statistics.guestHostname).toBe('tiny01'), { timeout: 30_000, interval: 200 });
    expect(await events('VM_DOWN_ERROR')).toEqual([]);
  }, 300_000);

  it('live migration to the other libvirt host: the guest keeps running there, its uptime goes on', async () => {
    // VDSM's order: the source's hooks rewrite the running XML, then the destination's rewrite theirs.
    hook('before_vm_migrate_source', '10_describe', `sed -i "s|</description>| +source</description>|" "$_hook_domxml"`);
    hook(
      'before_vm_migrate_destination',
      '10_describe',
      `sed -i "s|</description>| +destination</description>|" "$_hook_domxml"`,
      'lv-host2',
    );
    agent2 = startAgentProcess(2);
    await vi.waitFor(
      async () =>
        expect((await query(`query($id: ID!) { node(id: $id) { ... on Host { status } } }`, { id: host2Gid })).node.status).toBe('UP'),
      { timeout: 60_000, interval: 200 },
    );
    const before = (await vmNow()).statistics.uptimeSeconds;
    const r = await act('migrateVm', { id: vmGid, host: host2Gid });
    expect(r.__typename).toBe('MutationMigrateVmSuccess');
    await vi.waitFor(
      async () => {
        const vm = await vmNow();
        expect(vm).toMatchObject({ status: 'UP', host: { name: 'lv-host2' } });
        expect(vm.statistics.guestHostname).toBe('tiny01'); // the guest agent answers on the destination
        expect(vm.statistics.uptimeSeconds).toBeGreaterThan(0);
      },
      { timeout: 120_000, interval: 200 },
    );
    // The same boot: the guest's own uptime, read through its agent on the destination, goes on.
    const { stdout } = await promisify(execFile)('virsh', ['-c', lv2.uri, 'domjobinfo', 'tiny01', '--completed']);
    timings.migrationElapsed = Number(/Time elapsed:\s+(\d+)/.exec(stdout)?.[1] ?? -1);
    timings.migrationDowntime = Number(/Total downtime:\s+(\d+)/.exec(stdout)?.[1] ?? -1);
    expect(timings.migrationElapsed).toBeGreaterThan(0);
    const { stdout: defined } = await promisify(execFile)('virsh', ['-c', lv2.uri, 'dumpxml', 'tiny01']);
    expect(defined).toContain('<description>restored by before_vm_dehibernate +source +destination</description>');
    // (The engine's figure is whole seconds, the guest's has hundredths: read again until it is past it.)
    await vi.waitFor(
      async () => {
        const uptime = await guestExec(lv2.uri, 'tiny01', '/bin/cat', ['/proc/uptime']);
        expect(Number(uptime.out.split(' ')[0])).toBeGreaterThan(before);
      },
      { timeout: 10_000, interval: 500 },
    );
    expect(await events('VM_DOWN_ERROR')).toEqual([]);
  }, 300_000);

  it('ACPI shutdown: the guest powers off and the VM goes Down', async () => {
    const r = await act('shutdownVm', { id: vmGid });
    expect(r.__typename).toBe('MutationShutdownVmSuccess');
    await vmReaches('DOWN', 60_000);
    expect((await events('VM_DOWN')).join(' ')).toContain('the guest powered off');
  }, 120_000);

  it('kill -9 of QEMU: the VM goes Down with an error event within 5 s', async () => {
    await runTinyVm();
    const pid = lv.qemuPid('tiny01');
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await vmReaches('DOWN', 5_000);
    timings.qemuKillToDown = Date.now() - killedAt;
    await vi.waitFor(async () => expect((await events('VM_DOWN_ERROR')).join(' ')).toContain('QEMU exited unexpectedly'), {
      timeout: 5_000,
      interval: 100,
    });
  }, 300_000);

  it("libvirt down: the host goes NonOperational with libvirt's message, and Up when libvirt is back", async () => {
    await lv.stop();
    await vi.waitFor(
      async () => {
        const host = await hostNow();
        expect(host.status).toBe('NON_OPERATIONAL');
        expect(host.statusReason).toMatch(/^The hypervisor is unreachable: libvirt at .*: .*(connect|socket)/i);
      },
      { timeout: 30_000, interval: 200 },
    );
    await lv.start();
    await vi.waitFor(async () => expect((await hostNow()).status).toBe('UP'), { timeout: 60_000, interval: 200 });
  }, 180_000);
});
