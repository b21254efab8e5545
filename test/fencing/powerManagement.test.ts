// Host power management through the API: fence agents (stored with their password encrypted,
// never shown), the Test button, fenceHost through the test suite's fence agent program
// (demo/fence/fence_vireo_sim, fence-agents' stdin protocol) and a simulated BMC that really powers
// the simulated host off and on; and confirmHostRebooted for a NonResponsive host without power
// management: its VMs go Down and its highly available VMs start elsewhere.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { hostStatus, untilNonResponsive } from '../support/watchdogWait.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE, startSimulatedBmc, type SimulatedBmc } from '../../demo/simulatedBmc.ts';
import { act, addVm, hostGid, jobEnds, startLab, vmRow, type Lab } from '../vm/lifecycleSupport.ts';
import { HaRestarter } from '../../server/ha/haRestarter.ts';

const PASSWORD = 'bmc-Pa55word-7f3a';
let t: TestEngine;
let lab: Lab;
let bmc: SimulatedBmc;
let ha: HaRestarter;
const logged: string[] = [];

const AGENT_FIELDS = 'id order type address port username passwordSet options { key value } host { id name }';

async function addAgent(hostIndex: number, extra: Record<string, unknown> = {}) {
  const h = lab.hosts[hostIndex]!;
  const res = await t.gql(
    `mutation($i: AddFenceAgentInput!) { addFenceAgent(input: $i) { __typename
      ... on MutationAddFenceAgentSuccess { fenceAgent { ${AGENT_FIELDS} } }
      ... on Error { code message } ... on ValidationError { reasons { code message } } ... on InputError { issues { message } } } }`,
    {
      i: {
        host: h.gid,
        type: SIM_FENCE_TYPE,
        address: bmc.address,
        port: h.name,
        username: 'admin',
        password: PASSWORD,
        options: bmc.options,
        ...extra,
      },
    },
  );
  return res.data.addFenceAgent;
}

async function fence(hostIndex: number, action: string) {
  const res = await t.gql(
    `mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename
      ... on MutationFenceHostSuccess { result { action power agent vmsSetDown host { status } } }
      ... on Error { code message } ... on ValidationError { reasons { code message } } } }`,
    { i: { host: lab.hosts[hostIndex]!.gid, action } },
  );
  return res.data.fenceHost;
}

const statusOf = (i: number) => hostStatus(t, lab.hosts[i]!.id);
const nonResponsive = (i: number) => untilNonResponsive(t, lab.hosts[i]!.id);

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original(...args);
    });
  }
  t = await startTestEngine({ engine: { monitoring: { timeoutMs: 1500 }, fencing: { searchPath: [SIM_FENCE_DIR], timeoutMs: 20_000 } } });
  lab = await startLab(t, 'pm', 3);
  bmc = await startSimulatedBmc({ username: 'admin', password: PASSWORD });
  for (const h of lab.hosts) bmc.plug(h.name, h.plug);
  ha = new HaRestarter(t.engine, { backoffMs: () => 200, pollMs: 100 });
  ha.start();
});

afterAll(async () => {
  await ha.stop();
  await lab.stop();
  await bmc.stop();
  await t.engine.monitoring.stop();
  await t.close();
  vi.restoreAllMocks();
});

describe('fence agents', () => {
  it('refuses an unknown program, options the engine sets itself and line breaks, changing nothing', async () => {
    expect(await addAgent(0, { type: 'nosuchagent' })).toMatchObject({
      __typename: 'ValidationError',
      reasons: [{ code: 'FENCE_AGENT_TYPE_UNKNOWN' }],
    });
    const reserved = await addAgent(0, { options: [{ key: 'password', value: 'x' }] });
    expect(reserved.__typename).toBe('InputError');
    const smuggled = await addAgent(0, { address: '127.0.0.1\naction=off' });
    expect(smuggled.__typename).toBe('InputError');
    expect(await t.engine.db.fenceAgent.count()).toBe(0);
  });

  it('stores the password encrypted and never shows it; Test answers the power state', async () => {
    const agent = await addAgent(0);
    expect(agent.__typename).toBe('MutationAddFenceAgentSuccess');
    expect(agent.fenceAgent).toMatchObject({ order: 1, type: SIM_FENCE_TYPE, port: 'pm-h1', username: 'admin', passwordSet: true });
    const row = await t.engine.db.fenceAgent.findUniqueOrThrow({ where: { id: decodeGlobalID(agent.fenceAgent.id).id } });
    expect(row.passwordEncrypted).not.toContain(PASSWORD);
    expect(t.engine.secrets.open(row.passwordEncrypted)).toBe(PASSWORD);

    const can = await t.gql(`query($i: TestFenceAgentInput!) { canTestFenceAgent(input: $i) { allowed reasons { code } } }`, {
      i: { id: agent.fenceAgent.id },
    });
    expect(can.data.canTestFenceAgent).toEqual({ allowed: true, reasons: [] });
    const tested = await t.gql(
      `mutation($i: TestFenceAgentInput!) { testFenceAgent(input: $i) { __typename
        ... on MutationTestFenceAgentSuccess { result { power fenceAgent { id } } } ... on Error { code message } } }`,
      { i: { id: agent.fenceAgent.id } },
    );
    expect(tested.data.testFenceAgent).toEqual({
      __typename: 'MutationTestFenceAgentSuccess',
      result: { power: 'ON', fenceAgent: { id: agent.fenceAgent.id } },
    });
    expect(bmc.requests.at(-1)).toEqual({ action: 'status', plug: 'pm-h1' });
    const host = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { fenceAgents { ${AGENT_FIELDS} } } } }`, {
      id: lab.hosts[0]!.gid,
    });
    expect(host.data.node.fenceAgents).toEqual([agent.fenceAgent]);
  });

  it('a wrong password fails the test with the device’s words, and the password shows nowhere', async () => {
    const agent = await addAgent(1, { password: 'wrong-Secret-91x', options: [...bmc.options, { key: 'verbose', value: '1' }] });
    const tested = await t.gql(
      `mutation($i: TestFenceAgentInput!) { testFenceAgent(input: $i) { __typename ... on Error { code message } } }`,
      { i: { id: agent.fenceAgent.id } },
    );
    expect(tested.data.testFenceAgent.code).toBe('ACTION_FAILED');
    expect(tested.data.testFenceAgent.message).toContain('Unable to connect/login to fencing device');
    // fence_vireo_sim's verbose mode echoed its stdin, password included: masked.
    expect(tested.data.testFenceAgent.message).toContain('password=***');
    expect(JSON.stringify(tested)).not.toContain('wrong-Secret-91x');
    const updated = await t.gql(
      `mutation($i: UpdateFenceAgentInput!) { updateFenceAgent(input: $i) { __typename ... on MutationUpdateFenceAgentSuccess { fenceAgent { passwordSet options { key } } } } }`,
      { i: { id: agent.fenceAgent.id, password: PASSWORD, options: bmc.options } },
    );
    expect(updated.data.updateFenceAgent.fenceAgent).toEqual({ passwordSet: true, options: [{ key: 'ipport' }] });
    const retested = await t.gql(
      `mutation($i: TestFenceAgentInput!) { testFenceAgent(input: $i) { __typename ... on MutationTestFenceAgentSuccess { result { power } } } }`,
      { i: { id: agent.fenceAgent.id } },
    );
    expect(retested.data.testFenceAgent.result.power).toBe('ON');
  });

  it('removes an agent', async () => {
    const agent = await addAgent(2);
    const removed = await t.gql(
      `mutation($i: RemoveFenceAgentInput!) { removeFenceAgent(input: $i) { __typename ... on MutationRemoveFenceAgentSuccess { removed { id } } } }`,
      { i: { id: agent.fenceAgent.id } },
    );
    expect(removed.data.removeFenceAgent.removed.id).toBe(agent.fenceAgent.id);
    expect(await t.engine.db.fenceAgent.count({ where: { hostId: lab.hosts[2]!.id } })).toBe(0);
    expect((await fence(2, 'STATUS')).code).toBe('HOST_NO_POWER_MANAGEMENT');
  });
});

describe('fenceHost', () => {
  it('STATUS asks the device; OFF is refused while the host serves VMs', async () => {
    expect(await fence(0, 'STATUS')).toMatchObject({
      result: { action: 'STATUS', power: 'ON', agent: `fence_${SIM_FENCE_TYPE} at 127.0.0.1 port pm-h1` },
    });
    const vm = await addVm(t, lab, 'pm-busy');
    expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: hostGid(lab.hosts[0]!.id) })).result.job.id)).status).toBe(
      'FINISHED',
    );
    expect(await fence(0, 'OFF')).toMatchObject({ __typename: 'ValidationError', reasons: [{ code: 'HOST_HAS_RUNNING_VMS' }] });
    expect(lab.hosts[0]!.plug.power()).toBe('ON');
  });

  it('OFF on a NonResponsive host powers it off for real; its VMs go Down and its HA VM starts elsewhere; ON brings it back Up', async () => {
    const haVm = await addVm(t, lab, 'pm-ha', { highlyAvailable: true, haPriority: 50 });
    expect((await jobEnds(t, (await act(t, 'runVm', { id: haVm.gid, host: hostGid(lab.hosts[0]!.id) })).result.job.id)).status).toBe(
      'FINISHED',
    );
    // The host's agent hangs (its process is stopped, the machine still runs): NonResponsive, VMs Unknown.
    await lab.hosts[0]!.agent.stop();
    await nonResponsive(0);
    expect((await vmRow(t, haVm.id)).status).toBe('UNKNOWN');
    // An Unknown VM is never started elsewhere.
    expect((await act(t, 'runVm', { id: haVm.gid })).code).toBe('VM_IS_RUNNING');

    const off = await fence(0, 'OFF');
    expect(off).toMatchObject({ result: { action: 'OFF', power: 'OFF', vmsSetDown: 2, host: { status: 'DOWN' } } });
    expect(lab.hosts[0]!.plug.power()).toBe('OFF');
    expect(bmc.requests.slice(-3)).toEqual([
      { action: 'off', plug: 'pm-h1' },
      { action: 'status', plug: 'pm-h1' },
      { action: 'status', plug: 'pm-h1' },
    ]);
    const busy = await t.engine.db.vm.findFirstOrThrow({ where: { name: 'pm-busy' } });
    expect(busy).toMatchObject({ status: 'DOWN', hostId: null });
    // The HA VM runs again, on another host.
    await vi.waitFor(async () => expect((await vmRow(t, haVm.id)).status).toBe('UP'), { timeout: 20_000, interval: 100 });
    expect((await vmRow(t, haVm.id)).hostId).not.toBe(lab.hosts[0]!.id);
    // The restart's own event follows the VM's Up (the restarter hears of it after the report that says so).
    await vi.waitFor(async () => {
      const codes = (await t.engine.db.auditLog.findMany({ where: { vmId: haVm.id }, orderBy: { createdAt: 'asc' } })).map((e) => e.code);
      expect(codes).toEqual(expect.arrayContaining(['VM_DOWN', 'HA_VM_RESTARTING', 'HA_VM_RESTARTED']));
    });
    expect(await t.engine.db.haRestart.count()).toBe(0);

    const on = await fence(0, 'ON');
    expect(on).toMatchObject({ result: { action: 'ON', power: 'ON' } });
    expect(lab.hosts[0]!.plug.power()).toBe('ON');
    await vi.waitFor(async () => expect(await statusOf(0)).toBe('UP'), { timeout: 20_000, interval: 100 });
  });
});

describe('confirmHostRebooted', () => {
  it('is refused for a host that is not NonResponsive', async () => {
    const can = await t.gql(`query($i: ConfirmHostRebootedInput!) { canConfirmHostRebooted(input: $i) { allowed reasons { code } } }`, {
      i: { host: hostGid(lab.hosts[2]!.id) },
    });
    expect(can.data.canConfirmHostRebooted).toEqual({
      allowed: false,
      reasons: [{ code: 'HOST_NOT_NON_RESPONSIVE' }, { code: 'HOST_AGENT_CONNECTED' }],
    });
  });

  it('a NonResponsive host without power management keeps its VMs Unknown until confirmed; then HA VMs restart and the others go Down', async () => {
    const h3 = lab.hosts[2]!;
    const plain = await addVm(t, lab, 'pm-plain');
    const haVm = await addVm(t, lab, 'pm-ha3', { highlyAvailable: true });
    for (const vm of [plain, haVm])
      expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: hostGid(h3.id) })).result.job.id)).status).toBe('FINISHED');
    await h3.agent.stop();
    await nonResponsive(2);
    // Nothing happens by itself: no power management.
    await new Promise((r) => setTimeout(r, 500));
    expect((await vmRow(t, haVm.id)).status).toBe('UNKNOWN');
    const removal = await t.gql(`mutation($i: RemoveHostInput!) { removeHost(input: $i) { __typename ... on Error { code } } }`, {
      i: { id: hostGid(h3.id) },
    });
    expect(removal.data.removeHost.code).toBe('HOST_HAS_RUNNING_VMS');

    const res = await t.gql(
      `mutation($i: ConfirmHostRebootedInput!) { confirmHostRebooted(input: $i) { __typename
        ... on MutationConfirmHostRebootedSuccess { host { status statusReason } } ... on Error { code message } } }`,
      { i: { host: hostGid(h3.id) } },
    );
    expect(res.data.confirmHostRebooted).toMatchObject({
      host: { status: 'NON_RESPONSIVE', statusReason: expect.stringContaining('confirmed rebooted by admin') },
    });
    const audit = await t.engine.db.auditLog.findFirstOrThrow({ where: { hostId: h3.id, code: 'MANUAL_FENCE_STATUS' } });
    expect(audit.message).toBe('Host pm-h3 was confirmed rebooted by admin@internal; 2 VM(s) on it were set Down.');
    expect(await vmRow(t, plain.id)).toMatchObject({ status: 'DOWN', hostId: null });
    await vi.waitFor(async () => expect((await vmRow(t, haVm.id)).status).toBe('UP'), { timeout: 20_000, interval: 100 });
    expect((await vmRow(t, haVm.id)).hostId).not.toBe(h3.id);
    // A second confirmation has nothing left to release, and the host can now be removed.
    expect(await t.engine.db.vm.count({ where: { hostId: h3.id } })).toBe(0);
  });

  it('no password appeared in any event, API answer above or log line', async () => {
    const events = await t.engine.db.auditLog.findMany();
    expect(events.length).toBeGreaterThan(5);
    for (const secret of [PASSWORD, 'wrong-Secret-91x']) {
      expect(events.filter((e) => e.message.includes(secret))).toEqual([]);
      expect(logged.filter((l) => l.includes(secret))).toEqual([]);
    }
    const everything = await t.gql(`{ events(first: 500) { edges { node { message } } } }`);
    expect(JSON.stringify(everything)).not.toContain(PASSWORD);
  });
});
