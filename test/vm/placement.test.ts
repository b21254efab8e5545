// Placement through runVm: the filters refuse hosts with a reason per host, the weights spread
// (or pack) the VMs, and the cluster's over-commit counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, carryVmNet, hostGid, jobEnds, startLab, vmRow, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'place', 3);
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

async function vmsPerHost() {
  const rows = await t.engine.db.vm.groupBy({ by: ['hostId'], where: { status: { not: 'DOWN' } }, _count: { _all: true } });
  return lab.hosts.map((h) => rows.find((r) => r.hostId === h.id)?._count._all ?? 0);
}

describe('weights', () => {
  it('spreads VMs evenly by default', async () => {
    for (let i = 0; i < 6; i++) {
      const vm = await addVm(t, lab, `even${i}`);
      await jobEnds(t, (await act(t, 'runVm', { id: vm.gid })).result.job.id);
    }
    expect(await vmsPerHost()).toEqual([2, 2, 2]);
  });

  it('packs VMs with the power-saving policy', async () => {
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'POWER_SAVING' }, 'cluster');
    for (let i = 0; i < 2; i++) {
      const vm = await addVm(t, lab, `packed${i}`);
      await jobEnds(t, (await act(t, 'runVm', { id: vm.gid })).result.job.id);
    }
    expect((await vmsPerHost()).sort()).toEqual([2, 2, 4]);
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'EVENLY_DISTRIBUTED' }, 'cluster');
  });
});

describe('filters', () => {
  it('refuses a VM no host has the memory for, saying so per host', async () => {
    const vm = await addVm(t, lab, 'huge', { memoryMb: 20000, guaranteedMemoryMb: 20000 });
    const r = await act(t, 'runVm', { id: vm.gid });
    expect(r.__typename).toBe('ValidationError');
    expect(r.code).toBe('VM_NO_HOST_AVAILABLE');
    expect(r.reasons.slice(1)).toEqual([
      ...[1, 2, 3].map((i) => ({
        code: 'HOST_LACKS_MEMORY',
        message: expect.stringMatching(new RegExp(`^host place-h${i} has (8192|12288) MiB schedulable memory; the VM needs 20000 MiB\\.$`)),
      })),
    ]);
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'DOWN', hostId: null });
  });

  it("counts the cluster's memory over-commit (dry run)", async () => {
    const vm = await t.engine.db.vm.findFirstOrThrow({ where: { name: 'huge' } });
    const gid = Buffer.from(`Vm:${vm.id}`).toString('base64');
    await mutate(t, 'updateCluster', { id: lab.clusterGid, memoryOvercommitPercent: 200 }, 'cluster');
    const can = await t.gql(`query($i: RunVmInput!) { canRunVm(input: $i) { allowed } }`, { i: { id: gid } });
    expect(can.data.canRunVm.allowed).toBe(true);
    await mutate(t, 'updateCluster', { id: lab.clusterGid, memoryOvercommitPercent: 100 }, 'cluster');
  });

  it('refuses hosts lacking a network of the VM, too few cores, or in maintenance', async () => {
    const vmNet = Buffer.from(`Network:${lab.vmNetId}`).toString('base64');
    const vm = await addVm(t, lab, 'netvm', { nics: [{ name: 'nic1', network: vmNet }] });
    const r = await act(t, 'runVm', { id: vm.gid });
    expect(r.reasons.map((x: { code: string }) => x.code)).toEqual([
      'VM_NO_HOST_AVAILABLE',
      'HOST_LACKS_NETWORK',
      'HOST_LACKS_NETWORK',
      'HOST_LACKS_NETWORK',
    ]);
    expect(r.reasons[1].message).toBe('host place-h1 lacks network place-vmnet.');

    await carryVmNet(t, lab, [lab.hosts[1]!]);
    const ok = await act(t, 'runVm', { id: vm.gid });
    expect((await jobEnds(t, ok.result.job.id)).status).toBe('FINISHED');
    expect((await vmRow(t, vm.id)).hostId).toBe(lab.hosts[1]!.id);

    const wide = await addVm(t, lab, 'wide', { cpuCores: 16 });
    expect((await act(t, 'runVm', { id: wide.gid })).reasons[1]).toEqual({
      code: 'HOST_LACKS_CPU_CORES',
      message: 'host place-h1 has 8 cores; the VM has 16 virtual CPUs.',
    });

    // place-h3 goes to maintenance as an administrator sends it (its VMs migrate away).
    expect((await jobEnds(t, (await act(t, 'maintenanceHost', { id: hostGid(lab.hosts[2]!.id) })).result.job.id, 30_000)).status).toBe(
      'FINISHED',
    );
    const small = await addVm(t, lab, 'small');
    const chosen = await act(t, 'runVm', { id: small.gid, host: hostGid(lab.hosts[2]!.id) });
    expect(chosen.reasons).toEqual([
      { code: 'VM_NO_HOST_AVAILABLE', message: 'No host can run VM small.' },
      { code: 'HOST_IN_MAINTENANCE', message: 'host place-h3 is in maintenance.' },
    ]);
    await mutate(t, 'activateHost', { id: hostGid(lab.hosts[2]!.id) }, 'host');
  });
});
