// A libvirt host's lease keeper (agent/leases/leaseKeeper.ts): QEMU outlives a killed agent, so its
// VM's lease must too. Through the API, with an agent process on the libvirt driver running the
// tiny guest with a lease on a POSIX domain, a simulated second host where the VM could restart,
// and the engine's HA services: kill -9 of the agent leaves the lease renewed (by the keeper), so
// the VM is never started elsewhere while QEMU runs; a restarted agent takes the renewals back; and
// a keeper that cannot renew the lease kills QEMU before the lease expires for the others.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHighAvailability, type HighAvailability } from '../../server/ha/highAvailability.ts';
import { keeperLogPath, liveKeeper, livePid } from '../../agent/leases/keeperFiles.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import {
  buildGuest,
  requireLibvirt,
  root,
  spawnLibvirtAgent,
  startLibvirtd,
  vethNics,
  type Guest,
  type Libvirtd,
} from '../support/libvirt.ts';
import { addSimulatedHost, type SimHost } from '../support/simulatedHosts.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { hostStatus, untilNonResponsive } from '../support/watchdogWait.ts';
import { FAST } from '../vm/lifecycleSupport.ts';

const libvirt = requireLibvirt();
const LEASE_MS = 6000;
const HOST = 'lk-host1';

describe.skipIf(!libvirt.run)(`a libvirt host's lease keeper${libvirt.run ? '' : ` (skipped: ${libvirt.reason})`}`, () => {
  let t: TestEngine;
  let server: { url: string; stop(): Promise<void> };
  let lv: Libvirtd;
  let guest: Guest;
  let agent: ChildProcess | null = null;
  let other: SimHost;
  let ha: HighAvailability;
  let hostGid: string;
  let hostId: string;
  let token: string;
  let vmGid: string;
  let vmId: string;
  let domainDir: string;
  let removeNics: (() => Promise<void>) | null = null;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vireo-keeper-'));
  const NIC = `vir${(process.pid % 46_656).toString(36)}ka`;

  const startAgent = () =>
    spawnLibvirtAgent({ engineUrl: server.url, name: HOST, token, uri: lv.uri, stateDir: path.join(stateDir, HOST), nics: [NIC] });
  async function killAgent() {
    const gone = new Promise((r) => agent!.once('exit', r));
    agent!.kill('SIGKILL');
    await gone;
  }
  const lease = () =>
    JSON.parse(readFileSync(path.join(domainDir, 'leases', `${vmId}.lease`), 'utf8')) as {
      holder: string;
      counter: number;
      renewedAt: number;
    };
  const vmNow = async () => {
    const r = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { status host { name } } } }`, { id: vmGid });
    return r.data.node as { status: string; host: { name: string } | null };
  };
  const events = async (code: string) =>
    (await t.engine.db.auditLog.findMany({ where: { code, vmId }, orderBy: { createdAt: 'asc' } })).map((e) => e.message);
  const qemuRuns = () => {
    try {
      return livePid(path.join(lv.dir, 'run/qemu', 'lk-tiny.pid')) !== null;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    guest = buildGuest();
    lv = await startLibvirtd(path.join(root, '.cache/libvirt-test/lv6'), 6);
    removeNics = await vethNics([[NIC, NIC.replace(/a$/, 'b')]]);
    t = await startTestEngine({ engine: { monitoring: { timeoutMs: 1500 }, leaseTimeoutMs: LEASE_MS } });
    server = await t.listen();
    const inv = await buildInventory(t, 'K');
    // Another test's host may own this machine's ovirtmgmt bridge: here the management network is not a VM network.
    await mutate(t, 'updateNetwork', { id: inv.mgmt.id, vmNetwork: false }, 'network');
    const host = await mutate(t, 'addHost', { name: HOST, address: '127.0.0.1', cluster: inv.cluster.id }, 'host');
    hostGid = host.id;
    hostId = decodeGlobalID(hostGid).id;
    const issued = await t.gql(
      `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
      { input: { hostId: hostGid } },
    );
    token = issued.data.issueHostAgentToken.agentToken.token;
    agent = startAgent();
    // On a timeout the error shows why the host is not Up.
    await vi.waitFor(
      async () =>
        expect(
          (await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { status statusReason } } }`, { id: hostGid })).data.node,
        ).toMatchObject({
          status: 'UP',
        }),
      { timeout: 60_000, interval: 200 },
    );
    // Where the VM could restart: a simulated host of the same cluster, reaching the same domain.
    other = await addSimulatedHost(t, server.url, inv.cluster.id, 'lk-h2', { memoryMb: 16384, coresPerSocket: 8, ...FAST });
    await vi.waitFor(async () => expect(await hostStatus(t, other.id)).toBe('UP'), { timeout: 30_000, interval: 200 });
    const storage = mkdtempSync(path.join(root, '.cache/libvirt-test/keeper-'));
    process.env.VIREO_STORAGE_ROOTS = path.join(root, '.cache/libvirt-test');
    const sd = await mutate(
      t,
      'addStorageDomain',
      { name: 'K-posix', dataCenter: inv.dc.id, path: storage, storageType: 'POSIXFS' },
      'storageDomain',
    );
    domainDir = path.join(storage, decodeGlobalID(sd.id).id);
    mkdirSync(domainDir, { recursive: true });
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'lk-tiny',
        cluster: inv.cluster.id,
        memoryMb: 128,
        guaranteedMemoryMb: 128,
        cpuCores: 1,
        osType: 'other_linux',
        highlyAvailable: true,
        leaseStorageDomain: sd.id,
      },
      'vm',
    );
    vmGid = vm.id;
    vmId = decodeGlobalID(vmGid).id;
    ha = startHighAvailability(t.engine, {
      fencing: { recheckMs: 300, graceMs: 1000, softFenceWaitMs: 2000 },
      restarts: { backoffMs: () => 300, pollMs: 100 },
      leases: { checkMs: 300, graceMs: 1000 },
    });
  }, 300_000);

  afterAll(async () => {
    await ha?.stop();
    agent?.kill('SIGKILL');
    if (existsSync(keeperLogPath(HOST))) console.log(`the keeper's log:\n${readFileSync(keeperLogPath(HOST), 'utf8')}`);
    const keeper = liveKeeper(HOST);
    if (keeper) process.kill(keeper, 'SIGKILL');
    await other?.agent.stop();
    await lv?.stop();
    await removeNics?.();
    await server?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    rmSync(stateDir, { recursive: true, force: true });
    if (domainDir) rmSync(path.dirname(domainDir), { recursive: true, force: true });
  });

  it('the agent starts its host’s keeper, which only watches while the agent lives', async () => {
    await vi.waitFor(() => expect(liveKeeper(HOST)).not.toBeNull(), { timeout: 10_000 });
    const run = await t.gql(
      `mutation($input: RunVmInput!) { runVm(input: $input) { __typename ... on Error { message } ... on ValidationError { reasons { message } } } }`,
      {
        input: {
          id: vmGid,
          host: hostGid,
          runOnce: { kernelPath: guest.kernel, initrdPath: guest.initrd, kernelParams: 'console=ttyS0 quiet mitigations=off hn=lk-tiny' },
        },
      },
    );
    expect(run.data.runVm.__typename, JSON.stringify(run)).toBe('MutationRunVmSuccess');
    await vi.waitFor(async () => expect((await vmNow()).status).toBe('UP'), { timeout: 120_000, interval: 200 });
    // Held and renewed by the agent: a start still under way when the agent first looked did not let it go.
    const taken = lease().counter;
    await vi.waitFor(() => expect(lease().counter).toBeGreaterThan(taken), { timeout: LEASE_MS });
    expect(lease()).toMatchObject({ holder: HOST, released: false });
    expect(readFileSync(keeperLogPath(HOST), 'utf8')).not.toContain('renewing');
  }, 180_000);

  it('kill -9 of the agent: the keeper renews the lease, so the VM is never started elsewhere while QEMU runs', async () => {
    await killAgent();
    const before = lease().counter;
    await untilNonResponsive(t, hostId);
    await vi.waitFor(async () => expect(await events('VM_LEASE_STILL_HELD')).toHaveLength(1), { timeout: 15_000, interval: 200 });
    // Well past the lease's timeout since the agent died.
    await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
    expect(qemuRuns()).toBe(true);
    expect(lease().counter).toBeGreaterThan(before);
    expect(Date.now() - lease().renewedAt).toBeLessThan(LEASE_MS / 2);
    expect(await vmNow()).toEqual({ status: 'UNKNOWN', host: { name: HOST } });
    expect(await events('HA_VM_RESTARTING')).toEqual([]);
    expect((await other.driver.listDomains()).map((d) => d.id)).not.toContain(vmId);
    expect(readFileSync(keeperLogPath(HOST), 'utf8')).toContain('the agent is gone: renewing the leases of the VMs still running here');
  }, 60_000);

  it('a restarted agent takes the renewals back from the keeper, and the VM is Up where it ran', async () => {
    agent = startAgent();
    await vi.waitFor(async () => expect(await vmNow()).toEqual({ status: 'UP', host: { name: HOST } }), { timeout: 60_000, interval: 200 });
    await vi.waitFor(() => expect(readFileSync(keeperLogPath(HOST), 'utf8')).toMatch(/agent \d+ is back: it renews the leases/), {
      timeout: 10_000,
    });
    const before = lease().counter;
    await vi.waitFor(() => expect(lease().counter).toBeGreaterThan(before), { timeout: LEASE_MS });
    expect(lease().holder).toBe(HOST);
    expect(qemuRuns()).toBe(true);
  }, 90_000);

  it('a keeper that cannot renew the lease kills QEMU before the lease could expire for the others', async () => {
    await ha.stop(); // no restart elsewhere meanwhile: this is about the host alone
    await killAgent();
    await vi.waitFor(() => expect(readFileSync(keeperLogPath(HOST), 'utf8').match(/resumed renewing the lease/g)).toHaveLength(2), {
      timeout: 5000,
    });
    const lost = Date.now();
    renameSync(domainDir, `${domainDir}.away`); // the storage goes away under the host
    try {
      await vi.waitFor(() => expect(qemuRuns()).toBe(false), { timeout: 2 * LEASE_MS, interval: 50 });
      expect(Date.now() - lost).toBeLessThan(LEASE_MS);
    } finally {
      if (existsSync(domainDir)) rmSync(domainDir, { recursive: true });
      renameSync(`${domainDir}.away`, domainDir);
    }
    expect(readFileSync(keeperLogPath(HOST), 'utf8')).toMatch(
      new RegExp(`killing VM ${vmId}: on storage domain \\S+ could not be renewed`),
    );
    agent = startAgent();
    await vi.waitFor(async () => expect((await vmNow()).status).toBe('DOWN'), { timeout: 60_000, interval: 200 });
  }, 90_000);
});
