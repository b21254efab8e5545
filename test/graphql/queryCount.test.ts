// No N+1: a page of 500 VMs with their host, cluster, NICs and disks costs a bounded number of
// SQL statements, however many VMs there are.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  const { cluster, storage, vmNet } = await buildInventory(t, 'Q');
  const hosts = [];
  for (let i = 0; i < 5; i++)
    hosts.push(await mutate(t, 'addHost', { name: `q-host${i}`, address: `10.9.0.${i}`, cluster: cluster.id }, 'host'));
  const db = t.engine.db;
  const clusterId = (await db.cluster.findFirstOrThrow({ where: { name: 'Q-cluster' } })).id;
  const hostIds = (await db.host.findMany({ where: { clusterId } })).map((h) => h.id);
  const sd = await db.storageDomain.findFirstOrThrow({ where: { name: 'Q-data' } });
  const net = await db.network.findFirstOrThrow({ where: { name: 'Q-vmnet' } });
  // Bulk rows straight into the tables: this test is about reading them back.
  const vms = Array.from({ length: 500 }, (_, i) => ({
    id: crypto.randomUUID(),
    name: `q-vm${String(i).padStart(3, '0')}`,
    clusterId,
    hostId: i % 2 ? hostIds[i % hostIds.length] : null,
    status: i % 2 ? ('UP' as const) : ('DOWN' as const),
  }));
  await db.vm.createMany({ data: vms });
  await db.vmNic.createMany({
    data: vms.map((v, i) => ({
      vmId: v.id,
      name: 'nic1',
      networkId: net.id,
      macAddress: `56:6f:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    })),
  });
  const disks = vms.map((v) => ({
    id: crypto.randomUUID(),
    alias: `${v.name}_Disk1`,
    storageDomainId: sd.id,
    provisionedSizeBytes: 10n * BigInt(GiB),
  }));
  await db.disk.createMany({ data: disks });
  await db.diskAttachment.createMany({ data: vms.map((v, i) => ({ vmId: v.id, diskId: disks[i]!.id, bootable: true })) });
  void storage;
  void vmNet;
  void hosts;
});
afterAll(() => t.close());

const QUERY = `{ vms(first: 500, filter: { nameContains: "q-vm" }) { totalCount edges { node {
  id name status host { id name status } cluster { id name dataCenter { name } }
  nics { name macAddress network { name } }
  diskAttachments { bootable disk { alias provisionedSizeBytes storageDomain { name } } } } } } }`;

it('loads 500 VMs with host, cluster, NICs and disks in a bounded number of SQL queries', async () => {
  const statements: string[] = [];
  const stop = t.database.onQuery((sql) => statements.push(sql));
  const res = await t.gql(QUERY);
  stop();
  expect(res.errors).toBeUndefined();
  const edges = res.data.vms.edges;
  expect(res.data.vms.totalCount).toBe(500);
  expect(edges).toHaveLength(500);
  expect(edges[1].node.host.name).toMatch(/^q-host/);
  expect(edges[0].node.host).toBeNull();
  expect(edges[0].node.diskAttachments[0].disk.storageDomain.name).toBe('Q-data');
  expect(edges[0].node.nics[0].network.name).toBe('Q-vmnet');
  const selects = statements.filter((s) => /^\s*SELECT/i.test(s));
  console.log(`500-VM query: ${statements.length} SQL statements (${selects.length} SELECT)`);
  // One per table reached (vm, host, cluster, data center, nic, network, attachment, disk, domain), the count,
  // and the request's session (session, user, groups) and permission lookups.
  expect(statements.length).toBeLessThanOrEqual(15);
});

it('costs the same number of queries for 50 VMs as for 500', async () => {
  const count = async (first: number) => {
    let n = 0;
    const stop = t.database.onQuery(() => {
      n++;
    });
    await t.gql(QUERY.replace('first: 500', `first: ${first}`));
    stop();
    return n;
  };
  expect(await count(50)).toBe(await count(500));
});
