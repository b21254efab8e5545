// The console of a running VM: the port its host reports, and a one-time password set on the
// host through consoleTicket, handed out in a remote-viewer file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, eventCodes, jobEnds, startLab, vmReaches, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'con', 1);
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

const CONSOLE = `query($id: ID!) { node(id: $id) { ... on Vm { status displayType console { protocol address port tlsPort } } } }`;
const TICKET = `mutation($input: ConsoleTicketInput!) { consoleTicket(input: $input) {
  __typename
  ... on MutationConsoleTicketSuccess { ticket { protocol address port tlsPort websocketPort password expiresAt remoteViewerFile proxyPath } }
  ... on ValidationError { reasons { code message } }
  ... on Error { code message } } }`;

async function running(name: string, extra: Record<string, unknown> = {}) {
  const vm = await addVm(t, lab, name, extra);
  await jobEnds(t, (await act(t, 'runVm', { id: vm.gid })).result.job.id);
  await vmReaches(t, vm.id, 'UP');
  return vm;
}

/** The console once the host has reported it. */
async function consoleOf(gid: string) {
  for (let i = 0; i < 100; i++) {
    const vm = (await t.gql(CONSOLE, { id: gid })).data.node;
    if (vm.console) return vm.console;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no console reported');
}

describe('VM console', () => {
  it('shows where the console of a running VM listens: the host address and its own port per VM', async () => {
    const a = await running('con-a');
    const b = await running('con-b', { displayType: 'SPICE' });
    const ca = await consoleOf(a.gid);
    const cb = await consoleOf(b.gid);
    expect(ca).toEqual({ protocol: 'VNC', address: 'con-h1.example.org', port: expect.any(Number), tlsPort: null });
    expect(cb).toMatchObject({ protocol: 'SPICE', address: 'con-h1.example.org' });
    expect(cb.tlsPort).toEqual(expect.any(Number));
    expect(new Set([ca.port, cb.port, cb.tlsPort]).size).toBe(3);
    expect(ca.port).toBeGreaterThanOrEqual(5900);
  });

  it('sets a one-time password on the host and returns a remote-viewer file holding it', async () => {
    const vm = await running('con-c', { displayType: 'SPICE' });
    const seen = await consoleOf(vm.gid);
    const r = (await t.gql(TICKET, { input: { vm: vm.gid, validSeconds: 60 } })).data.consoleTicket;
    expect(r.__typename).toBe('MutationConsoleTicketSuccess');
    const { ticket } = r;
    expect(ticket).toMatchObject({ protocol: 'SPICE', address: 'con-h1.example.org', port: seen.port, tlsPort: seen.tlsPort });
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeGreaterThan(50_000);
    expect(ticket.remoteViewerFile.split('\n')).toEqual(
      expect.arrayContaining([
        '[virt-viewer]',
        'type=spice',
        'host=con-h1.example.org',
        `port=${seen.port}`,
        `tls-port=${seen.tlsPort}`,
        `password=${ticket.password}`,
        'delete-this-file=1',
      ]),
    );
    const driver = lab.hosts[0]!.driver;
    expect(driver.checkTicket(vm.id, ticket.password)).toBe(true);
    expect(driver.checkTicket(vm.id, 'wrong-password')).toBe(false);
    // A new ticket replaces the old password.
    const again = (await t.gql(TICKET, { input: { vm: vm.gid } })).data.consoleTicket.ticket;
    expect(again.password).not.toBe(ticket.password);
    expect(driver.checkTicket(vm.id, ticket.password)).toBe(false);
    expect(await eventCodes(t, vm.id)).toContain('VM_SET_TICKET');
  });

  it('refuses a Down VM with a reason and has no console for it', async () => {
    const vm = await addVm(t, lab, 'con-down');
    expect((await t.gql(CONSOLE, { id: vm.gid })).data.node.console).toBeNull();
    const r = (await t.gql(TICKET, { input: { vm: vm.gid } })).data.consoleTicket;
    expect(r.__typename).toBe('ValidationError');
    expect(r.reasons.map((x: { code: string }) => x.code)).toContain('VM_IS_NOT_RUNNING');
    const dry = (
      await t.gql(`query($input: ConsoleTicketInput!) { canConsoleTicket(input: $input) { allowed reasons { code } } }`, {
        input: { vm: vm.gid },
      })
    ).data.canConsoleTicket;
    expect(dry.allowed).toBe(false);
    expect(dry.reasons.map((x: { code: string }) => x.code)).toContain('VM_IS_NOT_RUNNING');
  });

  it('needs CONNECT_TO_VM on the VM: a user without a role on it is refused', async () => {
    const vm = await running('con-d');
    await mutate(t, 'addUser', { userName: 'vic', password: 'vicpass123' }, 'user');
    const token = await t.login('vic', 'vicpass123');
    const r = (await t.gqlAs(token, TICKET, { input: { vm: vm.gid } })).data.consoleTicket;
    expect(r.__typename).toBe('ForbiddenError');
    expect(lab.hosts[0]!.driver.checkTicket(vm.id, '')).toBe(false);
  });

  it('rejects a validity outside 10 s … 1 day as bad input', async () => {
    const vm = await running('con-e');
    const r = (await t.gql(TICKET, { input: { vm: vm.gid, validSeconds: 1 } })).data.consoleTicket;
    expect(r).toMatchObject({ __typename: 'InputError', code: 'BAD_INPUT' });
  });

  it('a simulated host offers no console in the browser: no WebSocket port, no pass to the proxy', async () => {
    const vm = await running('con-f');
    const r = (await t.gql(TICKET, { input: { vm: vm.gid } })).data.consoleTicket;
    expect(r.ticket).toMatchObject({ protocol: 'VNC', websocketPort: null, proxyPath: null });
  });

  it("the engine's console proxy refuses a pass it never made, saying why, and other WebSocket paths", async () => {
    const server = await t.listen();
    try {
      const origin = new URL(server.url).origin.replace('http', 'ws');
      const closed = (url: string) =>
        new Promise<{ code: number; reason: string }>((resolve, reject) => {
          const ws = new WebSocket(url, ['binary']);
          ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
          ws.on('unexpected-response', (_req, res) => resolve({ code: res.statusCode ?? 0, reason: 'http' }));
          ws.on('error', reject);
        });
      expect(await closed(`${origin}/console/vireo_console_${'A'.repeat(43)}`)).toEqual({
        code: 4401,
        reason: 'No such console ticket: ask for one with consoleTicket.',
      });
      expect(await closed(`${origin}/console/not-a-pass`)).toMatchObject({ code: 4401 });
      expect(await closed(`${origin}/elsewhere`)).toEqual({ code: 404, reason: 'http' });
    } finally {
      await server.stop();
    }
  });
});
