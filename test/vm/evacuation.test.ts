// Host maintenance plans all of the host's VMs at once: refused up front when they do not fit
// together, affinity kept on the way out, and a host whose evacuation fails stays
// PreparingForMaintenance with the reason until an administrator activates it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, jobEnds, startLab, vmReaches, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'evac', 3);
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

async function hostOf(gid: string): Promise<string | null> {
  const res = await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { host { name } } } }', { id: gid });
  return res.data.node.host?.name ?? null;
}
async function hostState(gid: string): Promise<{ status: string; statusReason: string }> {
  return (await t.gql('query($id: ID!) { node(id: $id) { ... on Host { status statusReason } } }', { id: gid })).data.node;
}
async function runOn(name: string, hostIndex: number, memoryMb: number) {
  const vm = await addVm(t, lab, name, { memoryMb, guaranteedMemoryMb: memoryMb });
  const r = await act(t, 'runVm', { id: vm.gid, host: lab.hosts[hostIndex]!.gid });
  expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
  return vm;
}
async function stopAll() {
  const res = await t.gql('{ vms(first: 100) { edges { node { id status } } } }');
  for (const { node } of res.data.vms.edges)
    if (node.status !== 'DOWN') expect((await jobEnds(t, (await act(t, 'stopVm', { id: node.id })).result.job.id)).status).toBe('FINISHED');
}

describe('evacuation plan', () => {
  it('refuses up front when the VMs fit one by one but not together', async () => {
    // h2 keeps 4 GiB free, h3 2 GiB; h1's two 3.5 GiB VMs each fit h2 alone, not both.
    await runOn('fill-h2', 1, 12288);
    await runOn('fill-h3', 2, 14336);
    const a = await runOn('evac-a', 0, 3584);
    await runOn('evac-b', 0, 3584);
    const can = await t.gql('query($i: MaintenanceHostInput!) { canMaintenanceHost(input: $i) { allowed reasons { code message } } }', {
      i: { id: lab.hosts[0]!.gid },
    });
    expect(can.data.canMaintenanceHost.allowed).toBe(false);
    expect(can.data.canMaintenanceHost.reasons).toEqual([
      {
        code: 'VM_CANNOT_BE_EVACUATED',
        message:
          'VM evac-b cannot be migrated: host evac-h2 has 512 MiB schedulable memory; the VM needs 3584 MiB. host evac-h3 has 2048 MiB schedulable memory; the VM needs 3584 MiB.',
      },
    ]);
    const r = await act(t, 'maintenanceHost', { id: lab.hosts[0]!.gid });
    expect(r.code).toBe('VM_CANNOT_BE_EVACUATED');
    expect(await hostState(lab.hosts[0]!.gid)).toEqual({ status: 'UP', statusReason: '' });
    expect(await hostOf(a.gid)).toBe('evac-h1');
    await stopAll();
  });

  it('moves a hard-together pair to one host', async () => {
    const a = await runOn('pair-a', 0, 2048);
    const b = await runOn('pair-b', 0, 2048);
    await mutate(
      t,
      'addAffinityGroup',
      { cluster: lab.clusterGid, name: 'pair', vmPolarity: 'POSITIVE', vmEnforcing: true, vms: [a.gid, b.gid] },
      'affinityGroup',
    );
    // One at a time, no other host has the other VM: each would be refused; planned together they go.
    const r = await act(t, 'maintenanceHost', { id: lab.hosts[0]!.gid });
    expect((await jobEnds(t, r.result.job.id, 30_000)).status).toBe('FINISHED');
    expect((await hostState(lab.hosts[0]!.gid)).status).toBe('MAINTENANCE');
    const where = await hostOf(a.gid);
    expect(where).not.toBe('evac-h1');
    expect(await hostOf(b.gid)).toBe(where);
    await mutate(t, 'activateHost', { id: lab.hosts[0]!.gid }, 'host');
    await vi.waitFor(async () => expect((await hostState(lab.hosts[0]!.gid)).status).toBe('UP'), { timeout: 10_000 });
    await stopAll();
  });
});

describe('a failed evacuation', () => {
  it('leaves the host PreparingForMaintenance with the reason; activation brings it back Up', async () => {
    const vm = await runOn('stuck', 0, 2048);
    // Only h2 may take it, and h2 cannot be reached by h1's hypervisor: the migration fails.
    await mutate(
      t,
      'addAffinityGroup',
      {
        cluster: lab.clusterGid,
        name: 'only-h1-h2',
        hostPolarity: 'POSITIVE',
        hostEnforcing: true,
        vms: [vm.gid],
        hosts: [lab.hosts[0]!.gid, lab.hosts[1]!.gid],
      },
      'affinityGroup',
    );
    const h2 = lab.hosts[1]!;
    lab.fabric.delete(h2.name);
    try {
      const r = await act(t, 'maintenanceHost', { id: lab.hosts[0]!.gid });
      const job = await jobEnds(t, r.result.job.id, 30_000);
      expect(job.status).toBe('FAILED');
    } finally {
      lab.fabric.set(h2.name, h2.driver);
    }
    const reason =
      '1 of 1 VM could not be migrated (VM stuck: Failed to migrate VM: host evac-h1: destination evac-h2 does not wait for stuck); the host stays PreparingForMaintenance (activate it, or try again).';
    expect(await hostState(lab.hosts[0]!.gid)).toEqual({ status: 'PREPARING_FOR_MAINTENANCE', statusReason: reason });
    await vmReaches(t, vm.id, 'UP', lab.hosts[0]!.id);
    const events = await t.gql('query($h: ID!) { events(first: 5, filter: { host: $h }) { edges { node { code message } } } }', {
      h: lab.hosts[0]!.gid,
    });
    expect(events.data.events.edges[0].node).toEqual({
      code: 'VDS_MAINTENANCE_FAILED',
      message: `Failed to switch host evac-h1 to Maintenance mode: ${reason}`,
    });
    // Nothing new starts there meanwhile.
    const late = await addVm(t, lab, 'late');
    const refused = await act(t, 'runVm', { id: late.gid, host: lab.hosts[0]!.gid });
    expect(refused.reasons[1].code).toBe('HOST_IN_MAINTENANCE');

    await mutate(t, 'activateHost', { id: lab.hosts[0]!.gid }, 'host');
    await vi.waitFor(async () => expect((await hostState(lab.hosts[0]!.gid)).status).toBe('UP'), { timeout: 10_000 });
    expect(await hostOf(vm.gid)).toBe('evac-h1');
  });
});
