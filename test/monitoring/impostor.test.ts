// A compromised host: its agent, connected over graphql-ws with its own (valid) token, claims a
// VM the engine placed on a host of another cluster, with a console address of its choosing.
// The claim is refused and logged as a security event; the VM stays where it runs, and neither
// its console nor its tickets ever go to the impostor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { act, addVm, jobEnds, startLab, vmReaches, vmRow, type Lab } from '../vm/lifecycleSupport.ts';
import { AGENT_COMMAND_RESULT, AGENT_COMMANDS, AGENT_HELLO, AGENT_REPORT } from '../../protocol/operations.ts';
import { domain, hello, hostWithToken, report } from './support.ts';

let t: TestEngine;
let lab: Lab;
let dev: Awaited<ReturnType<typeof hostWithToken>>;
let impostor: Client;
const commands: string[] = [];
let db01: { id: string; gid: string };

const CONSOLE = `query($id: ID!) { node(id: $id) { ... on Vm { status host { name } console { address port } } } }`;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'prod', 1);
  db01 = await addVm(t, lab, 'db01');
  await jobEnds(t, (await act(t, 'runVm', { id: db01.gid })).result.job.id);
  await vmReaches(t, db01.id, 'UP', lab.hosts[0]!.id);
  dev = await hostWithToken(t, 'dev02');
  impostor = createClient({ url: lab.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
  // The impostor listens for commands as an agent does, and answers them all "done".
  void (async () => {
    for await (const r of impostor.iterate({ query: AGENT_COMMANDS, variables: { host: dev.name, token: dev.token } })) {
      const envelope = JSON.parse(String(r.data?.agentCommands));
      commands.push(envelope.command.type);
      await agentSend(AGENT_COMMAND_RESULT, { id: envelope.id, ok: true });
    }
  })();
  await agentSend(AGENT_HELLO, hello);
}, 60_000);
afterAll(async () => {
  await impostor?.dispose();
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

async function agentSend(query: string, payload: unknown) {
  for await (const r of impostor.iterate({ query, variables: { host: dev.name, token: dev.token, payload: JSON.stringify(payload) } }))
    return r;
  throw new Error('no answer');
}

describe('an agent claiming a VM the engine placed on another host', () => {
  it('is refused 20 times of 20: the VM stays on its host, with its console, and one security event is logged', async () => {
    const home = lab.hosts[0]!;
    const before = (await t.gql(CONSOLE, { id: db01.gid })).data.node;
    expect(before).toMatchObject({ status: 'UP', host: { name: home.name }, console: { address: `${home.name}.example.org` } });
    const claim = domain(db01.id, 'db01', 'UP', { display: { type: 'VNC', address: 'evil.example.org', port: 5999, tlsPort: null } });
    for (let i = 0; i < 20; i++) {
      await agentSend(AGENT_REPORT, report(i, [claim]));
      const vm = await vmRow(t, db01.id);
      expect({ status: vm.status, hostId: vm.hostId }).toEqual({ status: 'UP', hostId: home.id });
    }
    const after = (await t.gql(CONSOLE, { id: db01.gid })).data.node;
    expect(after).toMatchObject({
      status: 'UP',
      host: { name: home.name },
      console: { address: `${home.name}.example.org`, port: before.console.port },
    });
    const alerts = await t.engine.db.auditLog.findMany({ where: { code: 'VM_CLAIM_REFUSED' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'ALERT', hostId: dev.hostId, vmId: db01.id });
    expect(alerts[0]!.message).toContain('dev02');
    expect(alerts[0]!.message).toContain('db01');
    // The impostor's host stays free of it: it runs nothing the engine knows of.
    expect(await t.engine.db.vm.count({ where: { hostId: dev.hostId } })).toBe(0);
  });

  it("sends an administrator's console ticket to the VM's own host, never to the impostor", async () => {
    const res = await t.gql(
      `mutation($input: ConsoleTicketInput!) { consoleTicket(input: $input) { __typename
      ... on MutationConsoleTicketSuccess { ticket { address password } } ... on Error { code message } } }`,
      { input: { vm: db01.gid } },
    );
    const ticket = res.data.consoleTicket.ticket;
    expect(ticket.address).toBe(`${lab.hosts[0]!.name}.example.org`);
    expect(lab.hosts[0]!.driver.checkTicket(db01.id, ticket.password)).toBe(true);
    expect(commands).not.toContain('setTicket');
  });

  it('records an unknown domain as an external VM of the impostor host, never merged with a managed VM of the same name', async () => {
    const stranger = '44444444-4444-4444-8444-444444444444';
    await agentSend(AGENT_REPORT, report(30, [domain(stranger, 'db01', 'UP')]));
    const ext = await vmRow(t, stranger);
    expect(ext).toMatchObject({ external: true, hostId: dev.hostId, clusterId: dev.clusterId, status: 'UP' });
    expect(await vmRow(t, db01.id)).toMatchObject({ external: false, hostId: lab.hosts[0]!.id, status: 'UP' });
  });

  it("ignores a Down or suspended report of another host's VM", async () => {
    await agentSend(AGENT_REPORT, report(31, [domain(db01.id, 'db01', 'DOWN', { exitReason: 'SAVED' })]));
    await agentSend(AGENT_REPORT, report(32, [domain(db01.id, 'db01', 'DOWN', { exitReason: 'CRASHED' })]));
    expect(await vmRow(t, db01.id)).toMatchObject({ status: 'UP', hostId: lab.hosts[0]!.id });
  });
});
