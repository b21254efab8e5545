// Live streams obey permissions: a user's graphql-ws subscription (token in connectionParams)
// carries only what it may see, and stops carrying it once the permission is revoked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { domain, hello, hostWithToken, report, send } from '../monitoring/support.ts';
import { wsSubscribe } from '../support/subscriptions.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await server.stop();
  await t.close();
});

function subscribe(token: string, query: string, variables: Record<string, unknown>) {
  const sub = wsSubscribe(server.url, token, query, variables);
  clients.push(sub.client);
  return sub;
}

it("streams a VM's stats to a user who may see it, not another VM's, and stops on revocation", async () => {
  const host = await hostWithToken(t, 'subs');
  // Two VMs the host runs that the engine did not start: it discovers them from the agent's report.
  const mineId = randomUUID();
  const otherId = randomUUID();
  const domains = (seq: number) => [
    domain(mineId, 'uma-vm', 'UP', {
      sample: { cpuPercent: seq, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0, uptimeSeconds: seq },
    }),
    domain(otherId, 'not-uma', 'UP'),
  ];
  expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
  expect((await send(t, 'report', host, report(1, domains(1)))).errors).toBeUndefined();
  const mine = { id: encodeGlobalID('Vm', mineId) };
  const other = { id: encodeGlobalID('Vm', otherId) };
  expect((await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { name status } } }', { id: mine.id })).data.node).toEqual({
    name: 'uma-vm',
    status: 'UP',
  });
  const uma = await mutate(t, 'addUser', { userName: 'uma', password: 'umapass12' }, 'user');
  const role = (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === 'UserRole').id;
  const grant = await mutate(t, 'addPermission', { role, user: uma.id, object: mine.id }, 'permission');
  const token = await t.login('uma', 'umapass12');

  const STATS = 'subscription($id: ID!) { vmStats(vmId: $id) { cpuPercent } }';
  const own = subscribe(token, STATS, { id: mine.id });
  const foreign = subscribe(token, STATS, { id: other.id });
  const admin = subscribe(t.adminToken, STATS, { id: mine.id });
  expect(await own.next()).toEqual({ data: { vmStats: { cpuPercent: 1 } } });
  expect(await admin.next()).toEqual({ data: { vmStats: { cpuPercent: 1 } } });

  await send(t, 'report', host, report(2, domains(2)));
  expect(await own.next()).toEqual({ data: { vmStats: { cpuPercent: 2 } } });
  expect(await admin.next()).toEqual({ data: { vmStats: { cpuPercent: 2 } } });

  await mutate(t, 'removePermission', { id: grant.id }, 'removed');
  await send(t, 'report', host, report(3, domains(3)));
  expect(await admin.next()).toEqual({ data: { vmStats: { cpuPercent: 3 } } }); // the sample was published
  expect(await own.next(1500)).toBeNull(); // but no longer to uma
  // Never anything about the other VM: the subscription is refused as if it did not exist.
  expect(foreign.received).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })] }]);
});
