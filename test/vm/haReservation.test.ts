// HA reservation through the API: with the cluster's haReservation on, a start that would leave
// no room to restart one host's highly available VMs is refused (dry run and real run, the rule
// named), and so is a migration (the balancer plans none); the periodic check says when the
// cluster cannot keep the reservation and when it can again.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, hostGid, jobEnds, startLab, vmRow, type Lab, type SimHost } from './lifecycleSupport.ts';
import { startHighAvailability, type HighAvailability } from '../../server/ha/highAvailability.ts';

let t: TestEngine;
let lab: Lab;
let ha: HighAvailability;

const CAN_RUN = `query($id: ID!, $host: ID) { canRunVm(input: { id: $id, host: $host }) { allowed reasons { code message } } }`;
const messages = async (code: string) =>
  (await t.engine.db.auditLog.findMany({ where: { code }, orderBy: { createdAt: 'asc' } })).map((e) => e.message);

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'hr', 2); // two hosts of 16 GiB
  ha = startHighAvailability(t.engine, { reservationCheckMs: 200 });
});

afterAll(async () => {
  await ha?.stop();
  await lab?.stop();
  await t?.engine.monitoring.stop();
  await t?.close();
});

describe('HA reservation', () => {
  it('refuses a start that would leave no room to restart a host’s HA VMs, only when the cluster asks for it', async () => {
    const [h1, h2] = lab.hosts;
    const haVm = await addVm(t, lab, 'hr-ha', { memoryMb: 8192, guaranteedMemoryMb: 8192, highlyAvailable: true });
    const big = await addVm(t, lab, 'hr-big', { memoryMb: 12288, guaranteedMemoryMb: 12288 });
    const run = await act(t, 'runVm', { id: haVm.gid, host: hostGid(h1!.id) });
    expect((await jobEnds(t, run.result.job.id)).status).toBe('FINISHED');
    // Without the setting the big VM fits on h2.
    expect((await t.gql(CAN_RUN, { id: big.gid, host: hostGid(h2!.id) })).data.canRunVm).toEqual({ allowed: true, reasons: [] });
    await mutate(t, 'updateCluster', { id: lab.clusterGid, haReservation: true }, 'cluster');
    const dry = (await t.gql(CAN_RUN, { id: big.gid, host: hostGid(h2!.id) })).data.canRunVm;
    expect(dry.allowed).toBe(false);
    expect(dry.reasons).toEqual([
      {
        code: 'HA_RESERVATION_BROKEN',
        message:
          "To run VM hr-big would break its cluster's HA reservation: the highly available VMs of host hr-h1 (1, 8192 MiB) could not all be restarted on the other Up hosts.",
      },
    ]);
    const refused = await act(t, 'runVm', { id: big.gid, host: hostGid(h2!.id) });
    expect(refused.reasons.map((r: { code: string }) => r.code)).toEqual(['HA_RESERVATION_BROKEN']);
    expect((await vmRow(t, big.id)).status).toBe('DOWN');
    // A smaller VM leaves the room: allowed.
    const small = await addVm(t, lab, 'hr-small', { memoryMb: 4096, guaranteedMemoryMb: 4096 });
    expect((await t.gql(CAN_RUN, { id: small.gid, host: hostGid(h2!.id) })).data.canRunVm.allowed).toBe(true);
  });

  it('says when the cluster can no longer keep it, and when it can again', async () => {
    const h2 = lab.hosts[1]!;
    expect(await messages('CLUSTER_ALERT_HA_RESERVATION')).toEqual([]);
    const r = await act(t, 'maintenanceHost', { id: h2.gid });
    expect((await jobEnds(t, r.result.job.id, 30_000)).status).toBe('FINISHED');
    await vi.waitFor(async () => expect(await messages('CLUSTER_ALERT_HA_RESERVATION')).toHaveLength(1), { timeout: 10_000 });
    expect((await messages('CLUSTER_ALERT_HA_RESERVATION'))[0]).toBe(
      'Cluster hr-cluster cannot keep its HA reservation: the highly available VMs of host hr-h1 (1, 8192 MiB) could not all be restarted on the other Up hosts.',
    );
    await mutate(t, 'activateHost', { id: h2.gid }, 'host');
    await vi.waitFor(async () => expect(await messages('CLUSTER_ALERT_HA_RESERVATION_DOWN')).toHaveLength(1), { timeout: 15_000 });
    expect(await messages('CLUSTER_ALERT_HA_RESERVATION')).toHaveLength(1);
  });

  it('refuses a migration that would break it, and the balancer plans none', async () => {
    const [h1, h2] = lab.hosts as [SimHost, SimHost];
    await vi.waitFor(async () => expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: h2.id } })).status).toBe('UP'));
    // hr-h1 runs hr-ha (8 GiB, highly available) and hr-p (4 GiB); hr-h2 runs hr-q and keeps exactly 8 GiB free for hr-ha.
    const q = await addVm(t, lab, 'hr-q', { memoryMb: 8192, guaranteedMemoryMb: 8192 });
    const p = await addVm(t, lab, 'hr-p', { memoryMb: 4096, guaranteedMemoryMb: 4096 });
    for (const [vm, h] of [
      [q, h2],
      [p, h1],
    ] as const)
      expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: h.gid })).result.job.id)).status).toBe('FINISHED');
    const broken =
      "To migrate VM hr-p would break its cluster's HA reservation: the highly available VMs of host hr-h1 (1, 8192 MiB) could not all be restarted on the other Up hosts.";
    const dry = await t.gql('query($i: MigrateVmInput!) { canMigrateVm(input: $i) { allowed reasons { code message } } }', {
      i: { id: p.gid },
    });
    expect(dry.data.canMigrateVm).toEqual({ allowed: false, reasons: [{ code: 'HA_RESERVATION_BROKEN', message: broken }] });
    const refused = await act(t, 'migrateVm', { id: p.gid, host: h2.gid });
    expect(refused.reasons).toEqual([{ code: 'HA_RESERVATION_BROKEN', message: broken }]);
    expect(await vmRow(t, p.id)).toMatchObject({ status: 'UP', hostId: h1.id });

    // A soft VM-to-host rule the balancer would repair by moving hr-p to hr-h2: not at the reservation's expense.
    await mutate(
      t,
      'addAffinityGroup',
      { cluster: lab.clusterGid, name: 'hr-p-on-h2', hostPolarity: 'POSITIVE', vms: [p.gid], hosts: [h2.gid] },
      'affinityGroup',
    );
    const plan = async () =>
      (await t.gql('query($c: ID!) { balancePlan(cluster: $c) { moves { vmName destinationName } notes } }', { c: lab.clusterGid })).data
        .balancePlan;
    const kept = await plan();
    expect(kept.moves).toEqual([]);
    expect(kept.notes).toContain(
      'VM hr-p is not moved to host hr-h2: the cluster would no longer keep its HA reservation (the highly available VMs of host hr-h1 (1, 8192 MiB) could not all be restarted on the other Up hosts).',
    );
    // Without the reservation the same plan moves it.
    await mutate(t, 'updateCluster', { id: lab.clusterGid, haReservation: false }, 'cluster');
    expect((await plan()).moves).toEqual([{ vmName: 'hr-p', destinationName: 'hr-h2' }]);
  });
});
