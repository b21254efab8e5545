// Concurrency and faults: conflicting actions (LOCKED), concurrent starts that must not
// overbook a host, an agent that does not answer (the action fails and is undone), and an
// engine that dies mid-action (the next engine undoes it at start).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { createEngine } from '../../server/engine.ts';
import { recoverInterruptedJobs } from '../../server/jobs/recovery.ts';
import { jobSettings } from '../../server/jobs/settings.ts';
import { act, addVm, eventCodes, hostGid, jobEnds, startLab, vmReaches, vmRow, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;
const defaults = { ...jobSettings };

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'fault', 2, { memoryMb: 8192 });
});
afterEach(() => {
  Object.assign(jobSettings, defaults);
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

describe('conflicting actions', () => {
  it('two starts of one VM at once: one wins, the other is LOCKED', async () => {
    const vm = await addVm(t, lab, 'twice');
    const [a, b] = await Promise.all([act(t, 'runVm', { id: vm.gid }), act(t, 'runVm', { id: vm.gid })]);
    const names = [a.__typename, b.__typename].sort();
    expect(names).toEqual(['LockedError', 'MutationRunVmSuccess']);
    const locked = a.__typename === 'LockedError' ? a : b;
    expect(locked).toMatchObject({
      code: 'LOCKED',
      message: 'Cannot run VM: VM twice is locked while "run VM" is in progress; try again when it ends.',
    });
    await vmReaches(t, vm.id, 'UP');
    const [p, s] = await Promise.all([act(t, 'pauseVm', { id: vm.gid }), act(t, 'stopVm', { id: vm.gid })]);
    expect([p.code, s.code].filter(Boolean)).toEqual(['LOCKED']);
    await jobEnds(t, (p.result ?? s.result).job.id);
    const stop = await act(t, 'stopVm', { id: vm.gid });
    if (stop.result) await jobEnds(t, stop.result.job.id);
    await vmReaches(t, vm.id, 'DOWN');
  });

  it('concurrent starts do not overbook: pending memory counts VMs still being started', async () => {
    // 2 hosts × 8192 MiB, VMs of 4096 MiB: room for 4.
    const vms = [];
    for (let i = 0; i < 5; i++) vms.push(await addVm(t, lab, `rush${i}`, { memoryMb: 4096, guaranteedMemoryMb: 4096 }));
    const results = await Promise.all(vms.map((vm) => act(t, 'runVm', { id: vm.gid })));
    const ok = results.filter((r) => r.__typename === 'MutationRunVmSuccess');
    const refused = results.filter((r) => r.__typename === 'ValidationError');
    expect(ok).toHaveLength(4);
    expect(refused).toHaveLength(1);
    expect(refused[0].code).toBe('VM_NO_HOST_AVAILABLE');
    expect(refused[0].reasons.slice(1).map((r: { code: string }) => r.code)).toEqual(['HOST_LACKS_MEMORY', 'HOST_LACKS_MEMORY']);
    for (const r of ok) expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
    expect(t.engine.scheduler.pending.size).toBe(0);
    for (const vm of vms) {
      const row = await vmRow(t, vm.id);
      if (row.status === 'UP') await jobEnds(t, (await act(t, 'stopVm', { id: vm.gid })).result.job.id);
    }
  });
});

describe('an agent that does not answer', () => {
  it('fails the action after the bound; compensation puts the VM back Down and frees the host', async () => {
    jobSettings.commandTimeoutMs = 700;
    const vm = await addVm(t, lab, 'silent');
    lab.hosts[0]!.driver.inject({ kind: 'hangNextCommand' });
    const r = await act(t, 'runVm', { id: vm.gid, host: hostGid(lab.hosts[0]!.id) });
    expect(r).toMatchObject({
      __typename: 'ActionFailedError',
      code: 'ACTION_FAILED',
      message: `Failed to run VM: host fault-h1: no answer from the host agent within 700 ms`,
    });
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'DOWN', hostId: null });
    const job = await t.engine.db.job.findFirstOrThrow({ where: { vmId: vm.id }, include: { steps: true, compensation: true } });
    expect(job).toMatchObject({ status: 'FAILED', compensation: [] });
    expect(job.steps[0]!.status).toBe('FAILED');
    expect(await eventCodes(t, vm.id)).toEqual(['USER_ADD_VM', 'USER_ACTION_FAILED']);
    expect(t.engine.scheduler.pending.size).toBe(0);
    // The host is fine afterwards.
    const again = await act(t, 'runVm', { id: vm.gid, host: hostGid(lab.hosts[0]!.id) });
    expect((await jobEnds(t, again.result.job.id)).status).toBe('FINISHED');
    await jobEnds(t, (await act(t, 'stopVm', { id: vm.gid })).result.job.id);
  });
});

describe('an engine restart in the middle of an action', () => {
  it('the next engine undoes what the interrupted action had marked: nothing stays WaitForLaunch', async () => {
    jobSettings.commandTimeoutMs = 4000;
    const vm = await addVm(t, lab, 'orphan');
    lab.hosts[1]!.driver.inject({ kind: 'hangNextCommand' });
    const running = act(t, 'runVm', { id: vm.gid, host: hostGid(lab.hosts[1]!.id) });
    await vmReaches(t, vm.id, 'WAIT_FOR_LAUNCH');

    // A new engine process on the same database, as after a crash: it recovers before serving. The
    // agents still report to the first one, which writes their samples as a running engine does.
    t.engine.monitoring.live.start(200);
    const next = createEngine(t.database);
    // The VM was placed on a host: its next report decides, and it does not have the VM.
    const recovery = await recoverInterruptedJobs(next);
    expect(recovery).toMatchObject({ undone: 0, abandoned: 0, waiting: 1 });
    expect(await recovery.settled).toEqual({ kept: 0, undone: 1, abandoned: 0 });
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'DOWN', hostId: null });
    const job = await t.engine.db.job.findFirstOrThrow({ where: { vmId: vm.id } });
    expect(job.status).toBe('FAILED');
    expect(await eventCodes(t, vm.id)).toContain('JOB_INTERRUPTED_BY_RESTART');
    await next.monitoring.stop();
    await t.engine.monitoring.live.stop();

    // (The old engine's action still times out here; it finds nothing left to undo.)
    expect((await running).code).toBe('ACTION_FAILED');
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'DOWN', hostId: null });
  });
});
