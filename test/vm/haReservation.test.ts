// HA reservation through the API: with the cluster's haReservation on, a start that would leave
// no room to restart one host's highly available VMs is refused (dry run and real run, the rule
// named), and the periodic check says when the cluster cannot keep the reservation and when it can again.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, hostGid, jobEnds, startLab, vmRow, type Lab } from './lifecycleSupport.ts';
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
});
