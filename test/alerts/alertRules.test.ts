// Alert rules over the API, evaluated from a simulated agent's reports: a VM's CPU held above a
// threshold for a minute (on the engine's clock), a host turning NonResponsive, a VM down with
// an error (an event rule). Firing and resolving are events, and the `alerts` subscription
// (graphql-ws on a real port) streams them to whom may see the object, and to no one else: not to
// a VM's user for another VM, nor to the administrator of the host a VM runs on for that VM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { wsSubscribe } from '../support/subscriptions.ts';
import { domain, hello, hostWithToken, report, send } from '../monitoring/support.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let clock = Date.now();
const subs: ReturnType<typeof wsSubscribe>[] = [];
beforeAll(async () => {
  t = await startTestEngine({ engine: { monitoring: { now: () => new Date(clock) } } });
  server = await t.listen();
});
afterAll(async () => {
  for (const s of subs) await s.client.dispose();
  await server.stop();
  await t.engine.monitoring.stop();
  await t.engine.alerts.stop();
  await t.close();
});

const ROGUE = '55555555-5555-4555-8555-555555555555';
const ALERT_FIELDS = 'ruleName firing objectName message value';
const ADD = `mutation($i: AddAlertRuleInput!) { addAlertRule(input: $i) { __typename
  ... on MutationAddAlertRuleSuccess { alertRule { id name kind subject figure comparison threshold forSeconds } }
  ... on ValidationError { code message reasons { code message } } ... on Error { code message } } }`;

async function userWith(userName: string, role: string, object: string) {
  const user = await mutate(t, 'addUser', { userName, password: `${userName}-pass12` }, 'user');
  const roles = (await t.gql('{ roles { id name } }')).data.roles;
  await mutate(t, 'addPermission', { role: roles.find((r: any) => r.name === role).id, user: user.id, object }, 'permission');
  return t.login(userName, `${userName}-pass12`);
}

const cpuReport = (seq: number, cpuPercent: number, state: 'UP' | 'DOWN' = 'UP', extra = {}) =>
  report(seq, [
    domain(ROGUE, 'rogue', state, {
      sample: { cpuPercent, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0, uptimeSeconds: seq },
      ...extra,
    }),
  ]);

describe('alert rules', () => {
  let host: Awaited<ReturnType<typeof hostWithToken>>;
  let watcher: string;
  let stranger: string;
  let hostAdmin: string;
  beforeAll(async () => {
    host = await hostWithToken(t, 'ahost');
    expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
    const owned = await mutate(t, 'addVm', { name: 'owned', cluster: host.clusterGid, memoryMb: 512 }, 'vm');
    watcher = await userWith('watcher', 'ClusterAdmin', host.clusterGid);
    stranger = await userWith('stranger', 'UserRole', owned.id);
    hostAdmin = await userWith('hostwatcher', 'HostAdmin', host.hostGid);
  });

  it('are added by administrators only, and a rule that cannot be evaluated is refused with its reason', async () => {
    const refused = await t.gqlAs(stranger, ADD, { i: { name: 'nope', kind: 'EVENT', eventCode: 'VDS_FAILURE' } });
    expect(refused.data.addAlertRule.code).toBe('FORBIDDEN');
    const incomplete = await t.gql(ADD, { i: { name: 'half', kind: 'THRESHOLD', subject: 'VM', figure: 'CPU_PERCENT' } });
    expect(incomplete.data.addAlertRule.reasons.map((r: any) => r.code)).toEqual(['ALERT_RULE_INCOMPLETE']);
    const wrongFigure = await t.gql(ADD, {
      i: { name: 'vm-free', kind: 'THRESHOLD', subject: 'VM', figure: 'FREE_PERCENT', comparison: 'BELOW', threshold: 10 },
    });
    expect(wrongFigure.data.addAlertRule.reasons.map((r: any) => r.code)).toEqual(['ALERT_FIGURE_NOT_OF_SUBJECT']);
    const badStatus = await t.gql(ADD, { i: { name: 'host-x', kind: 'STATUS', subject: 'HOST', status: 'EXPLODED' } });
    expect(badStatus.data.addAlertRule.reasons.map((r: any) => r.code)).toEqual(['ALERT_STATUS_UNKNOWN']);
    const loop = await t.gql(ADD, { i: { name: 'loop', kind: 'EVENT', eventCode: 'ALERT_FIRED' } });
    expect(loop.data.addAlertRule.reasons.map((r: any) => r.code)).toEqual(['ALERT_EVENT_CODE_UNKNOWN']);
    const negative = await t.gql(ADD, { i: { name: 'neg', kind: 'STATUS', subject: 'HOST', status: 'UP', forSeconds: -1 } });
    expect(negative.data.addAlertRule.code).toBe('BAD_INPUT');
    expect((await t.gql('{ alertRules { name } }')).data.alertRules).toEqual([]);
    expect((await t.gqlAs(stranger, '{ alertRules { name } }')).errors?.[0]).toBeDefined();
  });

  it("a VM's CPU above 90 % for 60 s fires once it has held that long, and resolves when it drops; only to whom sees the VM", async () => {
    const added = await t.gql(ADD, {
      i: { name: 'vm-cpu', kind: 'THRESHOLD', subject: 'VM', figure: 'CPU_PERCENT', comparison: 'ABOVE', threshold: 90, forSeconds: 60 },
    });
    expect(added.data.addAlertRule.alertRule).toMatchObject({
      name: 'vm-cpu',
      kind: 'THRESHOLD',
      subject: 'VM',
      threshold: 90,
      forSeconds: 60,
    });
    const admin = wsSubscribe(server.url, t.adminToken, `subscription { alerts { ${ALERT_FIELDS} } }`, {});
    const clusterAdmin = wsSubscribe(server.url, watcher, `subscription { alerts { ${ALERT_FIELDS} } }`, {});
    const other = wsSubscribe(server.url, stranger, `subscription { alerts { ${ALERT_FIELDS} } }`, {});
    const onHost = wsSubscribe(server.url, hostAdmin, `subscription { alerts { ${ALERT_FIELDS} } }`, {});
    subs.push(admin, clusterAdmin, other, onHost);
    await new Promise((r) => setTimeout(r, 300)); // subscribed

    await send(t, 'report', host, cpuReport(1, 95));
    clock += 30_000;
    await send(t, 'report', host, cpuReport(2, 96));
    await t.engine.alerts.idle();
    expect(await admin.next(300)).toBeNull(); // held 30 s of 60
    clock += 31_000;
    await send(t, 'report', host, cpuReport(3, 97));
    const fired = await admin.next();
    expect(fired.data.alerts).toEqual({
      ruleName: 'vm-cpu',
      firing: true,
      objectName: 'rogue',
      value: 97,
      message: 'Alert vm-cpu fired for rogue: CPU % 97 above 90 for 60 s.',
    });
    expect((await clusterAdmin.next()).data.alerts.firing).toBe(true);
    // Still above: no second alert.
    clock += 5_000;
    await send(t, 'report', host, cpuReport(4, 99));
    await t.engine.alerts.idle();
    expect(await admin.next(300)).toBeNull();

    clock += 5_000;
    await send(t, 'report', host, cpuReport(5, 10));
    expect((await admin.next()).data.alerts).toMatchObject({ ruleName: 'vm-cpu', firing: false, objectName: 'rogue' });
    expect((await clusterAdmin.next()).data.alerts.firing).toBe(false);
    expect(other.received).toEqual([]);
    // The host's administrator may not see the VM it runs (nor its alerts).
    expect(onHost.received).toEqual([]);
    expect((await t.gqlAs(hostAdmin, '{ alerts { totalCount } }')).data.alerts.totalCount).toBe(0);

    const events = (
      await t.gql('{ events(filter: { messageContains: "Alert vm-cpu " }) { edges { node { code severity message } } } }')
    ).data.events.edges.map((e: any) => e.node);
    expect(events).toEqual([
      { code: 'ALERT_RESOLVED', severity: 'NORMAL', message: 'Alert vm-cpu for rogue is resolved.' },
      { code: 'ALERT_FIRED', severity: 'WARNING', message: 'Alert vm-cpu fired for rogue: CPU % 97 above 90 for 60 s.' },
    ]);
    const list = await t.gqlAs(stranger, '{ alerts { totalCount } }');
    expect(list.data.alerts.totalCount).toBe(0);
    expect(
      (await t.gqlAs(watcher, '{ alerts(firing: false) { totalCount edges { node { ruleName resolvedAt } } } }')).data.alerts.totalCount,
    ).toBe(1);
  });

  it('an event rule fires on a VM down with an error; a status rule on a host turning NonResponsive, resolved when it is back', async () => {
    const event = await t.gql(ADD, { i: { name: 'vm-crash', kind: 'EVENT', eventCode: 'VM_DOWN_ERROR' } });
    expect(event.data.addAlertRule.__typename).toBe('MutationAddAlertRuleSuccess');
    const status = await t.gql(ADD, { i: { name: 'host-lost', kind: 'STATUS', subject: 'HOST', status: 'NON_RESPONSIVE' } });
    expect(status.data.addAlertRule.__typename).toBe('MutationAddAlertRuleSuccess');
    const admin = wsSubscribe(server.url, t.adminToken, `subscription { alerts { ${ALERT_FIELDS} } }`, {});
    const onHost = wsSubscribe(server.url, hostAdmin, `subscription { alerts { ${ALERT_FIELDS} } }`, {});
    subs.push(admin, onHost);
    await new Promise((r) => setTimeout(r, 300));

    await send(t, 'report', host, cpuReport(6, 0, 'DOWN', { exitReason: 'CRASHED', exitMessage: 'kernel panic' }));
    const crash = await admin.next();
    expect(crash.data.alerts).toMatchObject({ ruleName: 'vm-crash', objectName: 'rogue', firing: false });
    expect(crash.data.alerts.message).toContain('kernel panic');

    const m = t.engine.monitoring;
    expect(await m.watchdog.check(new Date(clock + m.timeoutMs + 1000))).toEqual([host.hostId]);
    const lost = await admin.next();
    expect(lost.data.alerts).toEqual({
      ruleName: 'host-lost',
      firing: true,
      objectName: 'ahost',
      value: null,
      message: 'Alert host-lost fired for ahost: status NON_RESPONSIVE.',
    });
    // The host's administrator gets the host's alert, not the VM's crash before it.
    expect((await onHost.next()).data.alerts).toMatchObject({ ruleName: 'host-lost', firing: true });
    clock += m.timeoutMs + 2000;
    await send(t, 'report', host, report(7, []));
    expect((await admin.next()).data.alerts).toMatchObject({ ruleName: 'host-lost', firing: false });
  });

  it('disabling a rule resolves its open alerts; removing it removes them', async () => {
    const rules = (await t.gql('{ alertRules { id name } }')).data.alertRules;
    const hostCpu = await t.gql(ADD, {
      i: { name: 'host-cpu', kind: 'THRESHOLD', subject: 'HOST', figure: 'CPU_PERCENT', comparison: 'ABOVE', threshold: 5 },
    });
    const id = hostCpu.data.addAlertRule.alertRule.id;
    clock += 1000;
    await send(t, 'report', host, report(8, []));
    await t.engine.alerts.idle();
    expect(
      (await t.gql('{ alerts(firing: true) { edges { node { ruleName objectName value } } } }')).data.alerts.edges.map((e: any) => e.node),
    ).toEqual([{ ruleName: 'host-cpu', objectName: 'ahost', value: 20 }]);
    const off = await t.gql('mutation($i: UpdateAlertRuleInput!) { updateAlertRule(input: $i) { __typename } }', {
      i: { id, enabled: false },
    });
    expect(off.data.updateAlertRule.__typename).toBe('MutationUpdateAlertRuleSuccess');
    clock += 1000;
    await send(t, 'report', host, report(9, []));
    await t.engine.alerts.idle();
    expect((await t.gql('{ alerts(firing: true) { totalCount } }')).data.alerts.totalCount).toBe(0);
    for (const r of [...rules, { id }]) {
      const res = await t.gql('mutation($i: RemoveAlertRuleInput!) { removeAlertRule(input: $i) { __typename } }', { i: { id: r.id } });
      expect(res.data.removeAlertRule.__typename).toBe('MutationRemoveAlertRuleSuccess');
    }
    expect((await t.gql('{ alerts { totalCount } alertRules { id } }')).data).toEqual({ alerts: { totalCount: 0 }, alertRules: [] });
  });
});
