// No N+1: a page of 100 VMs with their host, cluster, NICs and disks costs a bounded number of
// SQL statements, however many VMs there are. The VMs are made as users and agents make them:
// 50 added through the API with a NIC and a disk, 50 found running on two simulated hosts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { addSimulatedHost, startStorageHost, type SimHost } from '../support/simulatedHosts.ts';

let t: TestEngine;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
const hosts: SimHost[] = [];
beforeAll(async () => {
  t = await startTestEngine();
  const { cluster, storage, vmNet } = await buildInventory(t, 'Q');
  storageHost = await startStorageHost(t, cluster.id, 'q-storage');
  for (let i = 0; i < 50; i++)
    await mutate(
      t,
      'addVm',
      {
        name: `q-vm${String(i).padStart(3, '0')}`,
        cluster: cluster.id,
        nics: [{ name: 'nic1', network: vmNet.id }],
        disks: [{ alias: `q-vm${i}_Disk1`, storageDomain: storage.id, provisionedSizeBytes: GiB, bootable: true }],
      },
      'vm',
    );
  for (let h = 0; h < 2; h++) {
    const running = Array.from({ length: 25 }, (_, i) => ({
      id: randomUUID(),
      name: `q-run${h}-${String(i).padStart(2, '0')}`,
      memoryMb: 256,
      vcpus: 1,
      osType: 'other_linux',
    }));
    hosts.push(await addSimulatedHost(t, storageHost.url, cluster.id, `q-host${h}`, { running }, 60_000));
  }
  await vi.waitFor(
    async () => {
      const n = (await t.gql('{ vms(first: 1, filter: { nameContains: "q-" }) { totalCount } }')).data?.vms.totalCount;
      if (n !== 100) throw new Error(`${n} of 100 VMs`);
    },
    { timeout: 60_000, interval: 200 },
  );
  // No agent reports while statements are counted: only the query's own are.
  for (const h of hosts) await h.agent.stop();
  await storageHost.stop();
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const QUERY = `{ vms(first: 100, filter: { nameContains: "q-" }) { totalCount edges { node {
  id name status host { id name status } cluster { id name dataCenter { name } }
  nics { name macAddress network { name } }
  diskAttachments { bootable disk { alias provisionedSizeBytes storageDomain { name } } } } } } }`;

it('loads 100 VMs with host, cluster, NICs and disks in a bounded number of SQL queries', async () => {
  const statements: string[] = [];
  const stop = t.database.onQuery((sql) => statements.push(sql));
  const res = await t.gql(QUERY);
  stop();
  expect(res.errors).toBeUndefined();
  const edges = res.data.vms.edges;
  expect(res.data.vms.totalCount).toBe(100);
  expect(edges).toHaveLength(100);
  expect(edges[0].node.name).toBe('q-run0-00'); // by name: the running ones first
  expect(edges[0].node.host.name).toBe('q-host0');
  expect(edges[50].node.name).toBe('q-vm000');
  expect(edges[50].node.host).toBeNull();
  expect(edges[50].node.diskAttachments[0].disk.storageDomain.name).toBe('Q-data');
  expect(edges[50].node.nics[0].network.name).toBe('Q-vmnet');
  const selects = statements.filter((s) => /^\s*SELECT/i.test(s));
  console.log(`100-VM query: ${statements.length} SQL statements (${selects.length} SELECT)`);
  // One per table reached (vm, host, cluster, data center, nic, network, attachment, disk, domain), the count,
  // and the request's session (session, user, groups) and permission lookups.
  expect(statements.length).toBeLessThanOrEqual(15);
});

it('costs the same number of queries for 10 VMs as for 100', async () => {
  const count = async (first: number) => {
    let n = 0;
    const stop = t.database.onQuery(() => {
      n++;
    });
    await t.gql(QUERY.replace('first: 100', `first: ${first}`));
    stop();
    return n;
  };
  expect(await count(10)).toBe(await count(100));
});
