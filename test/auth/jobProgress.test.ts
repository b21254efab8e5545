// jobProgress streams a job only to whom the jobs list shows it (its starter, and users with a
// System grant), over graphql-ws and over SSE; anyone else is refused as if it did not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { sseSubscribe, wsSubscribe } from '../support/subscriptions.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let storageHost: SimHost | undefined;
const clients: Client[] = [];
let uma: string, vic: string;
let umaJob: string, adminJob: string;

const PROGRESS = 'subscription($id: ID!) { jobProgress(jobId: $id) { id status description } }';
const JOBS = '{ jobs { edges { node { id description } } } }';
const roleId = async (name: string) => (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === name).id;

beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
  const inv = await buildInventory(t, 'J');
  // A host does the data center's image work (the VMs' disks).
  storageHost = await addSimulatedHost(t, server.url, inv.cluster.id, 'j-host');
  await hostsUp(t, [storageHost]);
  const vmA = await mutate(
    t,
    'addVm',
    { name: 'uma-vm', cluster: inv.cluster.id, disks: [{ storageDomain: inv.storage.id, provisionedSizeBytes: GiB }] },
    'vm',
  );
  const vmB = await mutate(
    t,
    'addVm',
    { name: 'vic-vm', cluster: inv.cluster.id, disks: [{ storageDomain: inv.storage.id, provisionedSizeBytes: GiB }] },
    'vm',
  );
  for (const [name, vm] of [
    ['uma', vmA],
    ['vic', vmB],
  ] as const) {
    const user = await mutate(t, 'addUser', { userName: name, password: `${name}pass12` }, 'user');
    await mutate(t, 'addPermission', { role: await roleId('UserVmManager'), user: user.id, object: vm.id }, 'permission');
  }
  [uma, vic] = [await t.login('uma', 'umapass12'), await t.login('vic', 'vicpass12')];
  // uma snapshots its VM; the administrator snapshots vic's VM (a VM vic may see, a job vic did not start).
  const snap = await t.gqlAs(uma, `mutation($vm: ID!) { createSnapshot(input: { vm: $vm, description: "uma-snap" }) { __typename } }`, {
    vm: vmA.id,
  });
  expect(snap.data.createSnapshot.__typename).toBe('MutationCreateSnapshotSuccess');
  await mutate(t, 'createSnapshot', { vm: vmB.id, description: 'admin-snap' }, 'snapshot');
  const jobOf = async (token: string, text: string) =>
    (await t.gqlAs(token, JOBS)).data.jobs.edges.find((e: any) => e.node.description.includes(text)).node.id;
  umaJob = await jobOf(uma, 'uma-snap');
  adminJob = await jobOf(t.adminToken, 'admin-snap');
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await storageHost?.agent.stop();
  await server.stop();
  await t.close();
});

function ws(token: string, id: string) {
  const sub = wsSubscribe(server.url, token, PROGRESS, { id });
  clients.push(sub.client);
  return sub;
}
const codes = (result: any) =>
  (Array.isArray(result?.errors?.[0]) ? result.errors[0] : (result?.errors ?? [])).map((e: any) => e.extensions?.code);

describe('over graphql-ws', () => {
  it('sends the job to its starter and to the administrator', async () => {
    expect(await ws(uma, umaJob).next()).toEqual({
      data: { jobProgress: { id: umaJob, status: 'FINISHED', description: expect.stringContaining('uma-snap') } },
    });
    expect(await ws(t.adminToken, umaJob).next()).toMatchObject({ data: { jobProgress: { id: umaJob } } });
  });

  it("refuses another user's job as NOT_FOUND and sends nothing of it", async () => {
    for (const id of [umaJob, adminJob]) {
      const sub = ws(vic, id);
      expect(codes(await sub.next())).toEqual(['NOT_FOUND']);
      expect(await sub.next(500)).toBeNull();
    }
  });
});

describe('over SSE', () => {
  it('sends the job to its starter', async () => {
    const { events, abort } = await sseSubscribe(t.yoga, PROGRESS, { id: umaJob }, uma);
    expect((await events.next()).value).toMatchObject({ data: { jobProgress: { id: umaJob, status: 'FINISHED' } } });
    abort();
  });

  it("refuses another user's job as NOT_FOUND and ends the stream", async () => {
    for (const id of [umaJob, adminJob]) {
      const { events, abort } = await sseSubscribe(t.yoga, PROGRESS, { id }, vic);
      const first = await events.next();
      expect({ data: first.value?.data ?? null, codes: codes(first.value) }).toEqual({ data: null, codes: ['NOT_FOUND'] });
      expect((await events.next()).done).toBe(true);
      abort();
    }
  });
});
