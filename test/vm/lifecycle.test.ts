// The VM lifecycle end to end: GraphQL mutation → action → agent command → simulated
// hypervisor → agent reports → status, Job and events; and the refusals on the way.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { act, addVm, eventCodes, jobEnds, startLab, vmReaches, vmRow, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;
let ws: Client;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'life', 2);
  ws = createClient({
    url: lab.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${t.adminToken}` },
  });
});
afterAll(async () => {
  await ws.dispose();
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

/** Statuses a graphql-ws subscriber sees for one VM. */
function watchStatuses(vmGid: string) {
  const seen: string[] = [];
  const it = ws.iterate<{ vmUpdated: { status: string } }>({
    query: `subscription($id: ID!) { vmUpdated(vmId: $id) { status } }`,
    variables: { id: vmGid },
  });
  void (async () => {
    for await (const r of it) {
      const s = r.data?.vmUpdated.status;
      if (s && seen.at(-1) !== s) seen.push(s);
    }
  })().catch(() => {});
  return { seen, stop: () => it.return?.() };
}

describe('run', () => {
  it('starts a VM on a host the scheduler picks; the status follows the agent: WaitForLaunch → PoweringUp → Up', async () => {
    const vm = await addVm(t, lab, 'run01');
    const watch = watchStatuses(vm.gid);
    await vi.waitFor(() => expect(watch.seen).toEqual(['DOWN']), { timeout: 10_000, interval: 20 }); // the subscription is listening: its first value came
    const r = await act(t, 'runVm', { id: vm.gid });
    expect(r.__typename).toBe('MutationRunVmSuccess');
    expect(r.result.job.status).toBe('STARTED');
    const job = await jobEnds(t, r.result.job.id);
    expect(job).toMatchObject({ status: 'FINISHED', actionType: 'RunVm', description: 'Starting VM run01', vmId: vm.id });
    expect(job.steps[0]).toMatchObject({ status: 'FINISHED', progress: 100 });
    const row = await vmRow(t, vm.id);
    expect(row.status).toBe('UP');
    expect(lab.hosts.map((h) => h.id)).toContain(row.hostId);
    await new Promise((r) => setTimeout(r, 200));
    await watch.stop();
    expect(watch.seen.slice(watch.seen.indexOf('WAIT_FOR_LAUNCH'))).toEqual(['WAIT_FOR_LAUNCH', 'POWERING_UP', 'UP']);
    expect(await eventCodes(t, vm.id)).toEqual(expect.arrayContaining(['USER_INITIATED_RUN_VM', 'VM_UP', 'USER_STARTED_VM']));
  });

  it('refuses to start a running VM, in the dry run and the mutation, and logs the refusal', async () => {
    const vm = await t.engine.db.vm.findFirstOrThrow({ where: { name: 'run01' } });
    const gid = Buffer.from(`Vm:${vm.id}`).toString('base64');
    const can = await t.gql(`query($i: RunVmInput!) { canRunVm(input: $i) { allowed reasons { code } } }`, { i: { id: gid } });
    expect(can.data.canRunVm).toEqual({ allowed: false, reasons: [{ code: 'VM_IS_RUNNING' }] });
    const r = await act(t, 'runVm', { id: gid });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VM_IS_RUNNING' });
    expect((await eventCodes(t, vm.id)).at(-1)).toBe('USER_ACTION_REFUSED');
  });

  it('runs on the host the user chose, and start paused as a run-once option', async () => {
    const vm = await addVm(t, lab, 'run02');
    const r = await act(t, 'runVm', { id: vm.gid, host: lab.hosts[1]!.gid, runOnce: { startPaused: true } });
    expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
    await vmReaches(t, vm.id, 'PAUSED', lab.hosts[1]!.id);
  });
});

describe('pause, resume, reboot, suspend, restore, shut down, power off, remove', () => {
  let vm: { id: string; gid: string };
  beforeAll(async () => {
    vm = await addVm(t, lab, 'ops01');
    await jobEnds(t, (await act(t, 'runVm', { id: vm.gid })).result.job.id);
  });

  it('pauses and resumes', async () => {
    const p = await act(t, 'pauseVm', { id: vm.gid });
    expect((await jobEnds(t, p.result.job.id)).status).toBe('FINISHED');
    expect((await vmRow(t, vm.id)).status).toBe('PAUSED');
    const r = await act(t, 'resumeVm', { id: vm.gid });
    expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
    expect((await vmRow(t, vm.id)).status).toBe('UP');
    expect(await eventCodes(t, vm.id)).toEqual(expect.arrayContaining(['USER_PAUSE_VM', 'USER_RESUME_VM']));
  });

  it('reboots: RebootInProgress, then Up again', async () => {
    const r = await act(t, 'rebootVm', { id: vm.gid });
    expect(r.__typename).toBe('MutationRebootVmSuccess');
    await jobEnds(t, r.result.job.id);
    await vmReaches(t, vm.id, 'UP');
  });

  it('suspends to disk (the VM leaves its host) and runVm restores it', async () => {
    const s = await act(t, 'suspendVm', { id: vm.gid });
    expect((await jobEnds(t, s.result.job.id)).status).toBe('FINISHED');
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'SUSPENDED', hostId: null });
    expect((await act(t, 'pauseVm', { id: vm.gid })).code).toBe('VM_IS_NOT_RUNNING');
    const r = await act(t, 'runVm', { id: vm.gid });
    expect(await jobEnds(t, r.result.job.id)).toMatchObject({ status: 'FINISHED', description: 'Restoring VM ops01' });
    expect((await vmRow(t, vm.id)).status).toBe('UP');
    expect(await eventCodes(t, vm.id)).toEqual(expect.arrayContaining(['USER_SUSPEND_VM', 'VM_SUSPENDED']));
  });

  it('shuts down gracefully: PoweringDown, then Down', async () => {
    const r = await act(t, 'shutdownVm', { id: vm.gid });
    expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'DOWN', hostId: null });
  });

  it('a guest that ignores the shutdown: the job fails and the VM keeps running, unless power-off was asked for', async () => {
    await jobEnds(t, (await act(t, 'runVm', { id: vm.gid })).result.job.id);
    for (const h of lab.hosts) h.driver.inject({ kind: 'ignoreShutdown', vmId: vm.id });
    const r = await act(t, 'shutdownVm', { id: vm.gid, timeoutSeconds: 1 });
    const job = await jobEnds(t, r.result.job.id);
    expect(job.status).toBe('FAILED');
    expect((await vmRow(t, vm.id)).status).toBe('UP');
    const forced = await act(t, 'shutdownVm', { id: vm.gid, timeoutSeconds: 1, forceAfterTimeout: true });
    expect((await jobEnds(t, forced.result.job.id)).status).toBe('FINISHED');
    expect((await vmRow(t, vm.id)).status).toBe('DOWN');
    const messages = (
      await t.engine.db.auditLog.findMany({ where: { vmId: vm.id, code: 'USER_SHUTDOWN_VM_TIMED_OUT' }, orderBy: { createdAt: 'asc' } })
    ).map((e) => e.message);
    expect(messages).toEqual([
      'VM ops01 did not shut down within 1 s; it was left running.',
      'VM ops01 did not shut down within 1 s; it was powered off.',
    ]);
  });

  it('powers off, refuses to remove a running VM, removes a Down one', async () => {
    await jobEnds(t, (await act(t, 'runVm', { id: vm.gid })).result.job.id);
    const refused = await t.gql(`mutation($i: RemoveVmInput!) { removeVm(input: $i) { __typename ... on Error { code } } }`, {
      i: { id: vm.gid },
    });
    expect(refused.data.removeVm).toEqual({ __typename: 'ValidationError', code: 'VM_IS_RUNNING' });
    const stop = await act(t, 'stopVm', { id: vm.gid });
    expect((await jobEnds(t, stop.result.job.id)).status).toBe('FINISHED');
    expect((await vmRow(t, vm.id)).status).toBe('DOWN');
    expect(await eventCodes(t, vm.id)).toContain('USER_STOP_VM');
    const removed = await t.gql(`mutation($i: RemoveVmInput!) { removeVm(input: $i) { __typename } }`, { i: { id: vm.gid } });
    expect(removed.data.removeVm.__typename).toBe('MutationRemoveVmSuccess');
  });
});

describe('permissions', () => {
  it('a user with UserRole on a VM may run it, but neither migrate it nor touch another VM', async () => {
    const own = await addVm(t, lab, 'pats');
    const other = await addVm(t, lab, 'notpats');
    const role = (await t.gql(`{ roles { id name } }`)).data.roles.find((r: { name: string }) => r.name === 'UserRole').id;
    const pat = await t.gql(
      `mutation { addUser(input: { userName: "pat", password: "patpass12" }) { ... on MutationAddUserSuccess { user { id } } } }`,
    );
    await t.gql(`mutation($i: AddPermissionInput!) { addPermission(input: $i) { __typename } }`, {
      i: { role, user: pat.data.addUser.user.id, object: own.gid },
    });
    const token = await t.login('pat', 'patpass12');
    const as = (name: string, id: string) =>
      t.gqlAs(
        token,
        `mutation($i: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $i) { __typename ... on Error { code } ... on Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success { result { job { id } } } } }`,
        { i: { id } },
      );
    const run = await as('runVm', own.gid);
    expect(run.data.runVm.__typename).toBe('MutationRunVmSuccess');
    await jobEnds(t, run.data.runVm.result.job.id);
    expect((await as('migrateVm', own.gid)).data.migrateVm).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect((await as('runVm', other.gid)).data.runVm).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const jobs = await t.gqlAs(token, `{ jobs { totalCount edges { node { actionType status } } } }`);
    expect(jobs.data.jobs.edges.map((e: { node: { actionType: string } }) => e.node.actionType)).toEqual(['RunVm']);
  });
});
