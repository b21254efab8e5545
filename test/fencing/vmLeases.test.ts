// VM leases, through the API with simulated hosts and no power management: a lost host's highly
// available VM with a lease starts on another host once the lease has expired (never before, and
// without anyone confirming the host rebooted); a host only cut off from the engine still renews
// its leases, so its VM is left where it runs, and so does a host whose agent restarted (it resumes
// renewing them, or kills a VM whose lease it left unrenewed too long); a host that can no longer
// renew a lease kills the VM.
import { renameSync } from 'node:fs';
import path from 'node:path';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { untilNonResponsive, hostStatus } from '../support/watchdogWait.ts';
import { act, addVm, hostGid, jobEnds, startLab, vmRow, type Lab } from '../vm/lifecycleSupport.ts';
import { startHighAvailability, type HighAvailability } from '../../server/ha/highAvailability.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { FAST } from '../vm/lifecycleSupport.ts';

const LEASE_MS = 3000;
let t: TestEngine;
let lab: Lab;
let ha: HighAvailability;
let proxy: TcpProxy;
let cutOff: SimHost;
let domainGid: string;

async function events(code: string, vmId?: string) {
  const rows = await t.engine.db.auditLog.findMany({ where: { code, ...(vmId ? { vmId } : {}) }, orderBy: { createdAt: 'asc' } });
  return rows.map((e) => e.message);
}

async function runOn(name: string, host: { id: string }, extra: Record<string, unknown> = {}) {
  const vm = await addVm(t, lab, name, { memoryMb: 512, guaranteedMemoryMb: 512, cpuCores: 1, highlyAvailable: true, ...extra });
  const run = await act(t, 'runVm', { id: vm.gid, host: hostGid(host.id) });
  expect(run.__typename, JSON.stringify(run)).toBe('MutationRunVmSuccess');
  expect((await jobEnds(t, run.result.job.id)).status).toBe('FINISHED');
  return vm;
}

beforeAll(async () => {
  t = await startTestEngine({ engine: { monitoring: { timeoutMs: 1500 }, leaseTimeoutMs: LEASE_MS } });
  lab = await startLab(t, 'vl', 2);
  const sd = await t.gql(`{ storageDomains(first: 10) { edges { node { id name status } } } }`);
  domainGid = sd.data.storageDomains.edges.find((e: any) => e.node.name === 'vl-data').node.id;
  // A third host whose agent reaches the engine through a relay the test can cut.
  proxy = await startTcpProxy(lab.url);
  cutOff = await addSimulatedHost(t, proxy.url, lab.clusterGid, 'vl-h3', { memoryMb: 16384, coresPerSocket: 8, ...FAST });
  await hostsUp(t, [cutOff]);
  ha = startHighAvailability(t.engine, {
    fencing: { recheckMs: 300, graceMs: 1000, softFenceWaitMs: 2000 },
    restarts: { backoffMs: () => 300, pollMs: 100 },
    leases: { checkMs: 300, graceMs: 1000 },
  });
});

afterAll(async () => {
  await ha?.stop();
  await cutOff?.agent.stop();
  await proxy?.stop();
  await lab?.stop();
  await t?.engine.monitoring.stop();
  await t?.close();
});

describe('VM leases', () => {
  it('are set on a VM through the API, on a data domain of its data center', async () => {
    const vm = await addVm(t, lab, 'vl-set', { highlyAvailable: true, leaseStorageDomain: domainGid });
    const read = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { leaseStorageDomain { name } } } }`, { id: vm.gid });
    expect(read.data.node.leaseStorageDomain).toEqual({ name: 'vl-data' });
    const update = (i: Record<string, unknown>) =>
      t.gql(
        `mutation($i: UpdateVmInput!) { updateVm(input: $i) { __typename ... on Error { code message }
          ... on MutationUpdateVmSuccess { vm { leaseStorageDomain { name } } } } }`,
        { i: { id: vm.gid, ...i } },
      );
    // Not a storage domain: refused, nothing changed.
    const bad = await update({ leaseStorageDomain: lab.clusterGid });
    expect(bad.errors?.[0]?.extensions?.code ?? bad.data.updateVm.code).toBe('BAD_INPUT');
    expect((await vmRow(t, vm.id)).leaseStorageDomainId).not.toBeNull();
    expect((await update({ removeLease: true })).data.updateVm.vm).toEqual({ leaseStorageDomain: null });
    expect((await update({ leaseStorageDomain: domainGid })).data.updateVm.vm).toEqual({ leaseStorageDomain: { name: 'vl-data' } });
  });

  it('a lost host’s VM restarts elsewhere once its lease has expired, never before, without fencing or confirmation', async () => {
    const [lost, other] = lab.hosts as [SimHost, SimHost];
    const leased = await runOn('vl-leased', lost, { leaseStorageDomain: domainGid });
    const plain = await runOn('vl-plain', lost);
    const died = Date.now();
    await lost.agent.stop(); // the agent dies: the lease is no longer renewed
    await untilNonResponsive(t, lost.id);
    expect((await vmRow(t, leased.id)).status).toBe('UNKNOWN');
    await vi.waitFor(async () => expect(await vmRow(t, leased.id)).toMatchObject({ status: 'UP' }), { timeout: 30_000, interval: 100 });
    const restartedAfter = Date.now() - died;
    // Not before the lease's timeout since the last renewal (at most a renewal interval before the agent died).
    expect(restartedAfter).toBeGreaterThanOrEqual(LEASE_MS - LEASE_MS / 4);
    expect((await vmRow(t, leased.id)).hostId).not.toBe(lost.id);
    const expired = await events('VM_LEASE_EXPIRED', leased.id);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatch(/^The lease of VM vl-leased on storage domain vl-data has expired \(last renewed by host vl-h1 \d+ s ago\)/);
    // Logged once the start's job ends, which may be after the host reported the VM Up.
    await vi.waitFor(async () => expect(await events('HA_VM_RESTARTED', leased.id)).toHaveLength(1), { timeout: 10_000 });
    // Without a lease nothing proves the other VM stopped: it stays Unknown until someone confirms the reboot.
    expect(await vmRow(t, plain.id)).toMatchObject({ status: 'UNKNOWN', hostId: lost.id });
    expect(await events('MANUAL_FENCE_STATUS')).toEqual([]);
    // The host waits for an administrator, but its leased VM did not: the event says which is which.
    expect(await events('VDS_NO_POWER_MANAGEMENT_LEASES')).toEqual([
      'Host vl-h1 is non responsive and has no power management: its 1 VM(s) with a lease go Down once their leases expire, the highly available ones then restarting elsewhere; its 1 other VM(s) stay Unknown until an administrator confirms it was rebooted.',
    ]);
    expect(await events('VDS_NO_POWER_MANAGEMENT')).toEqual([]);
    expect(other.id).toBeTruthy();
  });

  it('a host cut off from the engine but still renewing its leases keeps its VM: no restart elsewhere', async () => {
    const vm = await runOn('vl-cut', cutOff, { leaseStorageDomain: domainGid });
    proxy.cut();
    await untilNonResponsive(t, cutOff.id);
    await vi.waitFor(async () => expect(await events('VM_LEASE_STILL_HELD', vm.id)).toHaveLength(1), { timeout: 10_000 });
    expect((await events('VM_LEASE_STILL_HELD', vm.id))[0]).toMatch(
      /^VM vl-cut of non responsive host vl-h3 is not restarted elsewhere: its lease on storage domain vl-data is still renewed by host vl-h3/,
    );
    // Well past the lease's timeout: still renewed, so still Unknown there, and never started elsewhere.
    await new Promise((r) => setTimeout(r, 3 * LEASE_MS));
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UNKNOWN', hostId: cutOff.id });
    expect(await events('HA_VM_RESTARTING', vm.id)).toEqual([]);
    expect(await events('VM_LEASE_EXPIRED', vm.id)).toEqual([]);
    expect((await cutOff.driver.listDomains()).find((x) => x.id === vm.id)?.state).toBe('UP');
    proxy.heal();
    await vi.waitFor(async () => expect(await hostStatus(t, cutOff.id)).toBe('UP'), { timeout: 40_000, interval: 200 });
    await vi.waitFor(async () => expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UP', hostId: cutOff.id }), { timeout: 10_000 });
  });

  it('a restarted agent goes on renewing the leases of the VMs it finds running: cut off later, its VM stays put', async () => {
    const vm = await runOn('vl-restart', cutOff, { leaseStorageDomain: domainGid });
    await cutOff.restartAgent();
    await vi.waitFor(async () => expect(await hostStatus(t, cutOff.id)).toBe('UP'), { timeout: 20_000, interval: 100 });
    // Past the lease's timeout since the restart: an agent that forgot the lease would have let it expire.
    await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UP', hostId: cutOff.id });
    proxy.cut();
    await untilNonResponsive(t, cutOff.id);
    await vi.waitFor(async () => expect(await events('VM_LEASE_STILL_HELD', vm.id)).toHaveLength(1), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UNKNOWN', hostId: cutOff.id });
    expect(await events('HA_VM_RESTARTING', vm.id)).toEqual([]);
    expect((await cutOff.driver.listDomains()).find((x) => x.id === vm.id)?.state).toBe('UP');
    proxy.heal();
    await vi.waitFor(async () => expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UP', hostId: cutOff.id }), { timeout: 40_000 });
  });

  it('an agent restarted after half the lease timeout kills the VM, which may run elsewhere by then', async () => {
    const host = lab.hosts[1]!;
    const vm = await runOn('vl-late', host, { leaseStorageDomain: domainGid, highlyAvailable: false });
    await host.agent.stop();
    await new Promise((r) => setTimeout(r, LEASE_MS));
    await host.restartAgent();
    await vi.waitFor(async () => expect((await host.driver.listDomains()).find((d) => d.id === vm.id)?.state ?? 'DOWN').toBe('DOWN'), {
      timeout: 5000,
      interval: 50,
    });
    await vi.waitFor(async () => expect((await vmRow(t, vm.id)).status).toBe('DOWN'), { timeout: 20_000, interval: 100 });
    const down = await events('VM_DOWN_ERROR', vm.id);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(
      /its lease on storage domain [0-9a-f-]+ went unrenewed for [\d.]+ s while the agent was down; the host killed it/,
    );
  });

  it('a host that can no longer renew a VM’s lease kills the VM before the lease expires for the others', async () => {
    const host = lab.hosts[1]!;
    // The earlier tests' VMs are powered off, so no highly available one is restarted (taking a lease) meanwhile.
    const running = await t.engine.db.vm.findMany({ where: { status: 'UP' }, select: { id: true } });
    for (const { id } of running) {
      const stop = await act(t, 'stopVm', { id: encodeGlobalID('Vm', id) });
      expect(stop.__typename, JSON.stringify(stop)).toBe('MutationStopVmSuccess');
      await jobEnds(t, stop.result.job.id);
    }
    const vm = await runOn('vl-storage', host, { leaseStorageDomain: domainGid, highlyAvailable: false });
    // The domain's storage goes away under the host (as an NFS export vanishing).
    const dir = path.join(process.env.VIREO_DATA_DIR!, 'storage', decodeGlobalID(domainGid).id);
    const lost = Date.now();
    renameSync(dir, `${dir}.away`);
    try {
      // The host kills it before the lease could expire for the others (after half the timeout without renewal).
      await vi.waitFor(async () => expect((await host.driver.listDomains()).find((d) => d.id === vm.id)?.state ?? 'DOWN').toBe('DOWN'), {
        timeout: LEASE_MS * 2,
        interval: 25,
      });
      expect(Date.now() - lost).toBeLessThan(LEASE_MS);
      await vi.waitFor(async () => expect((await vmRow(t, vm.id)).status).toBe('DOWN'), { timeout: 10_000, interval: 50 });
    } finally {
      renameSync(`${dir}.away`, dir);
    }
    const down = await events('VM_DOWN_ERROR', vm.id);
    expect(down).toHaveLength(1);
    expect(down[0]).toMatch(
      /its lease on storage domain [0-9a-f-]+ could not be renewed for [\d.]+ s \(.*\); the host killed it so that it could run elsewhere/,
    );
  });
});
