// Affinity groups through the API: their mutations and dry runs, and placement keeping their
// rules (runVm, migrateVm): hard rules refuse a host with the group named, soft ones steer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, jobEnds, startLab, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'aff', 3);
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

/** Where the VM runs, as a user reads it. */
async function hostOf(gid: string): Promise<string | null> {
  const res = await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { status host { name } } } }', { id: gid });
  return res.data.node.host?.name ?? null;
}

async function run(vm: { gid: string }, extra: Record<string, unknown> = {}) {
  const r = await act(t, 'runVm', { id: vm.gid, ...extra });
  if (r.__typename !== 'MutationRunVmSuccess') return r;
  expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
  return r;
}

async function stop(vm: { gid: string }) {
  const r = await act(t, 'stopVm', { id: vm.gid });
  expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
}

const GROUP = `mutation($i: AddAffinityGroupInput!) { addAffinityGroup(input: $i) {
  __typename ... on Error { code message } ... on ValidationError { reasons { code message } }
  ... on MutationAddAffinityGroupSuccess { affinityGroup { id name vmPolarity vmEnforcing hostPolarity hostEnforcing vms { name } hosts { name } } } } }`;

async function addGroup(input: Record<string, unknown>) {
  const r = (await t.gql(GROUP, { i: { cluster: lab.clusterGid, ...input } })).data.addAffinityGroup;
  if (r.__typename !== 'MutationAddAffinityGroupSuccess') throw new Error(JSON.stringify(r));
  return r.affinityGroup;
}

describe('affinity group mutations', () => {
  it('adds, lists, edits and removes a group, refusing what cannot hold', async () => {
    const a = await addVm(t, lab, 'crud-a');
    const b = await addVm(t, lab, 'crud-b');
    const g = await addGroup({ name: 'web', vmPolarity: 'POSITIVE', vmEnforcing: true, vms: [a.gid, b.gid] });
    expect(g).toMatchObject({
      name: 'web',
      vmPolarity: 'POSITIVE',
      vmEnforcing: true,
      hostPolarity: 'DISABLED',
      vms: [{ name: 'crud-a' }, { name: 'crud-b' }],
    });
    const listed = await t.gql('query($id: ID!) { node(id: $id) { ... on Cluster { affinityGroups { name vms { name } } } } }', {
      id: lab.clusterGid,
    });
    expect(listed.data.node.affinityGroups).toEqual([{ name: 'web', vms: [{ name: 'crud-a' }, { name: 'crud-b' }] }]);

    // Hard apart over the same two VMs contradicts it; a positive host rule needs hosts; names are unique per cluster.
    const can = await t.gql(`query($i: AddAffinityGroupInput!) { canAddAffinityGroup(input: $i) { allowed reasons { code message } } }`, {
      i: { cluster: lab.clusterGid, name: 'web', vmPolarity: 'NEGATIVE', vmEnforcing: true, hostPolarity: 'POSITIVE', vms: [a.gid, b.gid] },
    });
    expect(can.data.canAddAffinityGroup.allowed).toBe(false);
    expect(can.data.canAddAffinityGroup.reasons.map((r: { code: string }) => r.code)).toEqual([
      'AFFINITY_GROUP_NAME_ALREADY_USED',
      'AFFINITY_GROUP_HOSTS_MISSING',
      'AFFINITY_RULES_COLLISION',
    ]);
    expect(can.data.canAddAffinityGroup.reasons[2].message).toBe(
      'Affinity group web keeps VMs apart (hard) that group web keeps together (hard): crud-a, crud-b.',
    );

    const edited = await t.gql(
      `mutation($i: UpdateAffinityGroupInput!) { updateAffinityGroup(input: $i) { __typename
        ... on MutationUpdateAffinityGroupSuccess { affinityGroup { name vmEnforcing hostPolarity hosts { name } vms { name } } } } }`,
      { i: { id: g.id, vmEnforcing: false, hostPolarity: 'NEGATIVE', hosts: [lab.hosts[0]!.gid], vms: [a.gid] } },
    );
    expect(edited.data.updateAffinityGroup.affinityGroup).toEqual({
      name: 'web',
      vmEnforcing: false,
      hostPolarity: 'NEGATIVE',
      hosts: [{ name: 'aff-h1' }],
      vms: [{ name: 'crud-a' }],
    });
    const removed = await mutate(t, 'removeAffinityGroup', { id: g.id }, 'removed');
    expect(removed.id).toBe(g.id);
    expect((await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: g.id })).data.node).toBeNull();
    const events = await t.gql('{ events(first: 3, filter: { messageContains: "Affinity group web" }) { edges { node { code } } } }');
    expect(events.data.events.edges.map((e: { node: { code: string } }) => e.node.code).sort()).toEqual([
      'USER_ADDED_AFFINITY_GROUP',
      'USER_REMOVED_AFFINITY_GROUP',
      'USER_UPDATED_AFFINITY_GROUP',
    ]);
  });
});

describe('placement keeps the rules', () => {
  it('hard apart: one VM per host, the next refused with the group named on every host', async () => {
    const vms = [];
    for (const n of ['apart-1', 'apart-2', 'apart-3', 'apart-4']) vms.push(await addVm(t, lab, n));
    await addGroup({ name: 'db', vmPolarity: 'NEGATIVE', vmEnforcing: true, vms: vms.map((v) => v.gid) });
    for (const vm of vms.slice(0, 3)) await run(vm);
    expect(new Set(await Promise.all(vms.slice(0, 3).map((v) => hostOf(v.gid)))).size).toBe(3);

    const refused = await run(vms[3]!);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.reasons[0]).toEqual({ code: 'VM_NO_HOST_AVAILABLE', message: 'No host can run VM apart-4.' });
    expect(refused.reasons.slice(1).map((r: { code: string }) => r.code)).toEqual([
      'AFFINITY_VMS_APART',
      'AFFINITY_VMS_APART',
      'AFFINITY_VMS_APART',
    ]);
    expect(refused.reasons[1].message).toMatch(/^host aff-h1 runs apart-\d of affinity group db \(VMs apart, hard\)\.$/);
    const can = await t.gql('query($i: RunVmInput!) { canRunVm(input: $i) { allowed reasons { code } } }', { i: { id: vms[3]!.gid } });
    expect(can.data.canRunVm.allowed).toBe(false);
    expect(await hostOf(vms[3]!.gid)).toBeNull();

    // A migration may not bring two of them together either.
    const where = await hostOf(vms[0]!.gid);
    const other = lab.hosts.find((h) => h.name !== where)!;
    const moved = await act(t, 'migrateVm', { id: vms[0]!.gid, host: other.gid });
    expect(moved.__typename).toBe('ValidationError');
    expect(moved.reasons[1].code).toBe('AFFINITY_VMS_APART');
    for (const vm of vms.slice(0, 3)) await stop(vm);
  });

  it('hard together: the second VM follows the first, and may not be migrated away from it', async () => {
    const a = await addVm(t, lab, 'pair-a');
    const b = await addVm(t, lab, 'pair-b');
    await addGroup({ name: 'pair', vmPolarity: 'POSITIVE', vmEnforcing: true, vms: [a.gid, b.gid] });
    await run(a);
    await run(b);
    const where = await hostOf(a.gid);
    expect(await hostOf(b.gid)).toBe(where);
    const other = lab.hosts.find((h) => h.name !== where)!;
    const moved = await act(t, 'migrateVm', { id: b.gid, host: other.gid });
    expect(moved.reasons[1]).toEqual({
      code: 'AFFINITY_VMS_TOGETHER',
      message: `host ${other.name} runs no VM of affinity group pair (VMs together, hard); pair-a run on ${where}.`,
    });
    await stop(a);
    await stop(b);
  });

  it('hard VM-to-host rules: on the group hosts, or not on them; the scheduler migrates within them', async () => {
    const on = await addVm(t, lab, 'pinned');
    const off = await addVm(t, lab, 'banned');
    await addGroup({
      name: 'license',
      hostPolarity: 'POSITIVE',
      hostEnforcing: true,
      vms: [on.gid],
      hosts: [lab.hosts[1]!.gid, lab.hosts[2]!.gid],
    });
    await addGroup({
      name: 'noisy',
      hostPolarity: 'NEGATIVE',
      hostEnforcing: true,
      vms: [off.gid],
      hosts: [lab.hosts[0]!.gid, lab.hosts[1]!.gid],
    });
    await run(on);
    await run(off);
    expect(['aff-h2', 'aff-h3']).toContain(await hostOf(on.gid));
    expect(await hostOf(off.gid)).toBe('aff-h3');
    const onHost = await hostOf(on.gid);
    const migrated = await act(t, 'migrateVm', { id: on.gid });
    expect((await jobEnds(t, migrated.result.job.id, 30_000)).status).toBe('FINISHED');
    expect(await hostOf(on.gid)).toBe(onHost === 'aff-h2' ? 'aff-h3' : 'aff-h2');
    const toH1 = await act(t, 'migrateVm', { id: on.gid, host: lab.hosts[0]!.gid });
    expect(toH1.reasons[1]).toEqual({
      code: 'AFFINITY_ON_HOSTS',
      message: 'host aff-h1 is not a host of affinity group license (VMs on its hosts, hard).',
    });
    const offMove = await act(t, 'migrateVm', { id: off.gid });
    expect(offMove.reasons.slice(1).map((r: { code: string }) => r.code)).toEqual(['AFFINITY_NOT_ON_HOSTS', 'AFFINITY_NOT_ON_HOSTS']);
    await stop(on);
    await stop(off);
  });

  it('soft rules steer placement but never refuse it', async () => {
    // Evenly distributed would spread them; soft together keeps them on one host.
    const vms = [];
    for (const n of ['soft-1', 'soft-2', 'soft-3']) vms.push(await addVm(t, lab, n));
    await addGroup({ name: 'chatty', vmPolarity: 'POSITIVE', vms: vms.map((v) => v.gid) });
    for (const vm of vms) await run(vm);
    const hosts = await Promise.all(vms.map((v) => hostOf(v.gid)));
    expect(new Set(hosts).size).toBe(1);
    // Soft: a host outside the group's is still allowed when asked for.
    const elsewhere = lab.hosts.find((h) => h.name !== hosts[0])!;
    const moved = await act(t, 'migrateVm', { id: vms[0]!.gid, host: elsewhere.gid });
    expect((await jobEnds(t, moved.result.job.id, 30_000)).status).toBe('FINISHED');
    expect(await hostOf(vms[0]!.gid)).toBe(elsewhere.name);
    for (const vm of vms) await stop(vm);
  });
});

describe('cluster maintenance policy', () => {
  it('refuses new starts but of highly available VMs; running VMs still migrate', async () => {
    const plain = await addVm(t, lab, 'cm-plain');
    const ha = await addVm(t, lab, 'cm-ha', { highlyAvailable: true });
    const running = await addVm(t, lab, 'cm-running');
    await run(running);
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'CLUSTER_MAINTENANCE' }, 'cluster');
    try {
      const refused = await run(plain);
      expect(refused.reasons[1]).toEqual({
        code: 'CLUSTER_IN_MAINTENANCE',
        message: 'host aff-h1: the cluster is in maintenance (policy cluster_maintenance); only highly available VMs start.',
      });
      await run(ha);
      expect(await hostOf(ha.gid)).not.toBeNull();
      const migrated = await act(t, 'migrateVm', { id: running.gid });
      expect((await jobEnds(t, migrated.result.job.id, 30_000)).status).toBe('FINISHED');
    } finally {
      await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'EVENLY_DISTRIBUTED' }, 'cluster');
    }
    await stop(ha);
    await stop(running);
  });
});
