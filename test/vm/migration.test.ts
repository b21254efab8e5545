// Live migration and host maintenance with simulated hypervisors that reach each other (a
// fabric): progress from the source's reports, the guest keeps running, cancel, a destination
// lost mid-way, refusals, and evacuation by maintenance.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { act, addVm, carryVmNet, eventCodes, hostGid, jobEnds, startLab, vmReaches, vmRow, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'mig', 3);
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

async function runningVm(name: string, hostIndex: number, extra: Record<string, unknown> = {}) {
  const vm = await addVm(t, lab, name, extra);
  const r = await act(t, 'runVm', { id: vm.gid, host: hostGid(lab.hosts[hostIndex]!.id) });
  expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
  return vm;
}

describe('live migration', () => {
  it('moves a running VM to the chosen host; progress is reported; the guest keeps running', async () => {
    const vm = await runningVm('mover', 0);
    // The VM's latest statistics, as a user reads them.
    const statistics = async (): Promise<{ uptimeSeconds: number; guestHostname: string } | null> =>
      (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { statistics { uptimeSeconds guestHostname } } } }`, { id: vm.gid })).data
        .node.statistics;
    await vi.waitFor(async () => expect((await statistics())?.uptimeSeconds).toBeGreaterThan(0), { timeout: 5000 });
    const before = (await statistics())!;
    const progress: number[] = [];
    const off = (async () => {
      for await (const e of t.engine.pubsub.subscribe('job:progress')) if (typeof e.progress === 'number') progress.push(e.progress);
    })();
    const r = await act(t, 'migrateVm', { id: vm.gid, host: hostGid(lab.hosts[1]!.id) });
    expect(r.__typename).toBe('MutationMigrateVmSuccess');
    await vmReaches(t, vm.id, 'MIGRATING_FROM', lab.hosts[0]!.id);
    // The VM is locked while it migrates.
    expect((await act(t, 'stopVm', { id: vm.gid })).code).toBe('LOCKED');
    const job = await jobEnds(t, r.result.job.id);
    void off;
    expect(job).toMatchObject({ status: 'FINISHED', actionType: 'MigrateVm' });
    expect(job.steps[0]!.description).toBe('Migrating VM mover from host mig-h1 to host mig-h2');
    expect(progress.filter((p) => p > 0 && p < 100).length).toBeGreaterThan(0);
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UP', hostId: lab.hosts[1]!.id });
    await vi.waitFor(async () => {
      const after = (await statistics())!;
      expect(after.guestHostname).toBe(before.guestHostname);
      expect(after.uptimeSeconds).toBeGreaterThanOrEqual(before.uptimeSeconds); // the same guest, not a reboot
    });
    expect(await eventCodes(t, vm.id)).toEqual(expect.arrayContaining(['VM_MIGRATION_START', 'VM_MIGRATED_BY_HOST', 'VM_MIGRATION_DONE']));
  });

  it('refuses a destination lacking a network of the VM, and a VM that is not running', async () => {
    const vmNet = Buffer.from(`Network:${lab.vmNetId}`).toString('base64');
    await carryVmNet(t, lab, [lab.hosts[0]!, lab.hosts[1]!]);
    const vm = await runningVm('netted', 0, { nics: [{ name: 'nic1', network: vmNet }] });
    const r = await act(t, 'migrateVm', { id: vm.gid, host: hostGid(lab.hosts[2]!.id) });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VM_NO_HOST_AVAILABLE' });
    expect(r.reasons[1]).toEqual({ code: 'HOST_LACKS_NETWORK', message: 'host mig-h3 lacks network mig-vmnet.' });
    // Scheduled: the only host with the network is chosen.
    const ok = await act(t, 'migrateVm', { id: vm.gid });
    expect((await jobEnds(t, ok.result.job.id)).status).toBe('FINISHED');
    expect((await vmRow(t, vm.id)).hostId).toBe(lab.hosts[1]!.id);

    const down = await addVm(t, lab, 'resting');
    expect((await act(t, 'migrateVm', { id: down.gid })).code).toBe('VM_IS_NOT_RUNNING');
    expect((await act(t, 'migrateVm', { id: vm.gid, host: hostGid(lab.hosts[1]!.id) })).code).toBe('VM_ALREADY_ON_HOST');
  });

  it('cancel: the VM stays Up on its source and the job says why', async () => {
    const vm = await runningVm('stayer', 0);
    const r = await act(t, 'migrateVm', { id: vm.gid, host: hostGid(lab.hosts[2]!.id) });
    await vmReaches(t, vm.id, 'MIGRATING_FROM');
    const c = await act(t, 'cancelMigrateVm', { id: vm.gid });
    expect(c.__typename).toBe('MutationCancelMigrateVmSuccess');
    const job = await jobEnds(t, r.result.job.id);
    expect(job.status).toBe('FAILED');
    expect(job.steps[0]!.description).toBe('Migration failed: the migration was canceled');
    await vmReaches(t, vm.id, 'UP', lab.hosts[0]!.id);
    expect(await eventCodes(t, vm.id)).toEqual(expect.arrayContaining(['VM_MIGRATION_CANCELED', 'VM_MIGRATION_FAILED']));
    // Nothing is left on the destination.
    expect((await lab.hosts[2]!.driver.listDomains()).filter((d) => d.id === vm.id && d.state !== 'DOWN')).toEqual([]);
    expect((await act(t, 'cancelMigrateVm', { id: vm.gid })).code).toBe('VM_NOT_MIGRATING');
  });

  it('a destination lost mid-way: the VM keeps running on the source and the failure says why', async () => {
    const vm = await runningVm('survivor', 0);
    const r = await act(t, 'migrateVm', { id: vm.gid, host: hostGid(lab.hosts[2]!.id) });
    await vmReaches(t, vm.id, 'MIGRATING_FROM');
    // The destination host vanishes: its agent stops and the source can no longer reach it.
    lab.fabric.delete(lab.hosts[2]!.name);
    await lab.hosts[2]!.agent.stop();
    const job = await jobEnds(t, r.result.job.id);
    expect(job.status).toBe('FAILED');
    await vmReaches(t, vm.id, 'UP', lab.hosts[0]!.id);
    const failed = await t.engine.db.auditLog.findFirstOrThrow({ where: { vmId: vm.id, code: 'VM_MIGRATION_FAILED' } });
    expect(failed.message).toBe(
      'Migration failed (VM: survivor, Source: mig-h1, Destination: mig-h3): lost the connection to destination host mig-h3',
    );
    // The engine's watchdog finds the silent host NonResponsive once its timeout has passed.
    await vi.waitFor(
      async () => {
        await t.engine.monitoring.watchdog.check();
        expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: lab.hosts[2]!.id } })).status).toBe('NON_RESPONSIVE');
      },
      { timeout: t.engine.monitoring.timeoutMs + 10_000, interval: 500 },
    );
  });
});

describe('host maintenance', () => {
  it('refuses when a VM could not go anywhere', async () => {
    // 'netted' runs on h2 and needs mig-vmnet, which only h1 and h2 have; take h1's away.
    await carryVmNet(t, lab, [lab.hosts[0]!], false);
    const r = await act(t, 'maintenanceHost', { id: hostGid(lab.hosts[1]!.id) });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VM_CANNOT_BE_EVACUATED' });
    expect(r.reasons[0].message).toContain('VM netted cannot be migrated: host mig-h1 lacks network mig-vmnet.');
    expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: lab.hosts[1]!.id } })).status).toBe('UP');
    await carryVmNet(t, lab, [lab.hosts[0]!]);
  });

  it('evacuates every VM by live migration, then the host is in Maintenance; activation brings it back Up', async () => {
    const h2 = lab.hosts[1]!;
    const onH2 = await t.engine.db.vm.findMany({ where: { hostId: h2.id } });
    expect(onH2.length).toBeGreaterThanOrEqual(2);
    const r = await act(t, 'maintenanceHost', { id: hostGid(h2.id) });
    expect(r).toMatchObject({ __typename: 'MutationMaintenanceHostSuccess' });
    expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: h2.id } })).status).toBe('PREPARING_FOR_MAINTENANCE');
    const job = await jobEnds(t, r.result.job.id, 30_000);
    expect(job.status).toBe('FINISHED');
    expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: h2.id } })).status).toBe('MAINTENANCE');
    for (const vm of onH2) expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UP', hostId: lab.hosts[0]!.id });
    const codes = (await t.engine.db.auditLog.findMany({ where: { hostId: h2.id }, orderBy: { createdAt: 'asc' } })).map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['USER_VDS_MAINTENANCE', 'VDS_MAINTENANCE']));
    // No VM may be started there now.
    const vm = await addVm(t, lab, 'late');
    expect((await act(t, 'runVm', { id: vm.gid, host: hostGid(h2.id) })).reasons[1].code).toBe('HOST_IN_MAINTENANCE');

    const a = await t.gql(`mutation($i: ActivateHostInput!) { activateHost(input: $i) { __typename } }`, { i: { id: hostGid(h2.id) } });
    expect(a.data.activateHost.__typename).toBe('MutationActivateHostSuccess');
    await vi.waitFor(async () => expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: h2.id } })).status).toBe('UP'));
    expect(decodeGlobalID(hostGid(h2.id)).id).toBe(h2.id);
  });
});
