// The demo inventory: one data center, two clusters, five hosts, storage, networks, ~20 VMs.
// Created through the same actions a user runs, so it is as valid as anything a user makes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../server/engine.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { runAction } from '../server/actions/runAction.ts';
import type { ActionDefinition } from '../server/actions/defineAction.ts';
import { addDataCenter } from '../server/actions/dataCenter/addDataCenter.ts';
import { addCluster } from '../server/actions/cluster/addCluster.ts';
import { addHost } from '../server/actions/host/addHost.ts';
import { addStorageDomain } from '../server/actions/storage/addStorageDomain.ts';
import { addNetwork } from '../server/actions/network/addNetwork.ts';
import { addVm } from '../server/actions/vm/addVm.ts';
import { addDisk } from '../server/actions/disk/addDisk.ts';

const GiB = 1n << 30n;
const TiB = 1n << 40n;

/** Seeds an empty database; returns false (and does nothing) when it holds any data center. */
export async function seedDemo(engine: Engine): Promise<boolean> {
  if ((await engine.db.dataCenter.count()) > 0) return false;
  const run = <P, R>(def: ActionDefinition<P, R>, params: unknown) => runAction(engine, SYSTEM_ACTOR, def, params);

  const dc = await run(addDataCenter, { name: 'Default', description: 'Demo data center' });
  const mgmt = await run(addNetwork, { name: 'ovirtmgmt', dataCenterId: dc.id, description: 'Management network' });
  const clusters = [
    await run(addCluster, {
      name: 'Production',
      dataCenterId: dc.id,
      cpuType: 'Intel Icelake Server Family',
      memoryOvercommitPercent: 150,
    }),
    await run(addCluster, { name: 'Development', dataCenterId: dc.id, cpuType: 'AMD EPYC', schedulingPolicy: 'power_saving' }),
  ];
  const [prod, dev] = clusters as [(typeof clusters)[0], (typeof clusters)[0]];
  // demo/networks.ts puts these on the hosts with setupNetworks once their agents are connected.
  const vmNet = await run(addNetwork, {
    name: 'vm-public',
    dataCenterId: dc.id,
    vlanId: 100,
    clusters: clusters.map((c) => ({ clusterId: c.id, required: false })),
  });
  await run(addNetwork, {
    name: 'storage',
    dataCenterId: dc.id,
    vlanId: 200,
    mtu: 9000,
    vmNetwork: false,
    clusters: [{ clusterId: prod.id, required: false }],
  });

  await run(addStorageDomain, {
    name: 'data-nfs',
    dataCenterId: dc.id,
    domainType: 'DATA',
    storageType: 'NFS',
    path: 'nfs01.example.org:/exports/data',
    capacityBytes: 4n * TiB,
  });
  await run(addStorageDomain, {
    name: 'data-iscsi',
    dataCenterId: dc.id,
    domainType: 'DATA',
    storageType: 'ISCSI',
    path: 'iqn.2026-11.org.example:fast',
    capacityBytes: 2n * TiB,
  });

  const hostSpecs = [
    ['host01', prod],
    ['host02', prod],
    ['host03', prod],
    ['dev01', dev],
    ['dev02', dev],
  ] as const;
  for (const [i, [name, cluster]] of hostSpecs.entries()) await run(addHost, { name, address: `192.0.2.${11 + i}`, clusterId: cluster.id });

  const clusterOf = { Production: prod, Development: dev };
  for (const [i, [name, clusterName]] of DEMO_VMS.entries()) {
    const cluster = clusterOf[clusterName];
    const windows = name.startsWith('win');
    await run(addVm, {
      name,
      clusterId: cluster.id,
      description: `Demo VM ${name}`,
      osType: windows ? 'windows_2022' : 'rhel_9x64',
      cpuSockets: 1,
      cpuCores: 1 + (i % 4),
      memoryMb: 1024 * (1 + (i % 8)),
      highlyAvailable: name.startsWith('db') || name.startsWith('ldap'),
      nics: [{ name: 'nic1', networkId: vmNet.id }, ...(name.startsWith('proxy') ? [{ name: 'nic2', networkId: mgmt.id }] : [])],
    });
  }
  return true;
}

/** The demo's VMs by name and cluster; the position gives each its size and disk. */
const DEMO_VMS = [
  ...['web01', 'web02', 'web03', 'web04', 'db01', 'db02', 'cache01', 'mail01', 'ldap01', 'proxy01', 'app01', 'app02'].map(
    (n) => [n, 'Production'] as const,
  ),
  ...['ci01', 'ci02', 'build01', 'test01', 'test02', 'sandbox01', 'win-dev01', 'mon01'].map((n) => [n, 'Development'] as const),
];

/**
 * Gives each demo VM without a disk its boot disk. Disks are image work, done by a host of the
 * data center, so this runs once the demo's agents are connected (demo/agents.ts).
 */
export async function addDemoDisks(engine: Engine): Promise<void> {
  const vms = await engine.db.vm.findMany({
    where: { name: { in: DEMO_VMS.map(([n]) => n) }, diskAttachments: { none: {} } },
    include: { cluster: true },
  });
  const domains = await engine.db.storageDomain.findMany({ where: { name: { in: ['data-nfs', 'data-iscsi'] } } });
  for (const vm of vms) {
    const i = DEMO_VMS.findIndex(([n]) => n === vm.name);
    const domain = domains.find((d) => d.name === (i % 3 ? 'data-nfs' : 'data-iscsi') && d.dataCenterId === vm.cluster.dataCenterId);
    if (!domain) continue;
    try {
      await runAction(engine, SYSTEM_ACTOR, addDisk, {
        vmId: vm.id,
        alias: `${vm.name}_Disk1`,
        storageDomainId: domain.id,
        provisionedSizeBytes: (20n + BigInt(i % 5) * 20n) * GiB,
        sparse: i % 4 !== 0,
        bootable: true,
      });
    } catch (e) {
      console.error(`demo: could not add the disk of ${vm.name}: ${(e as Error).message}`);
    }
  }
}

/**
 * The demo's ISO domain, a folder under <data dir>/domains (an allowed storage root by default) that
 * the hosts reach: ISO images upload there for real. Added once the agents are connected, as a
 * host must reach a domain for it to be added.
 */
export async function addDemoIsoDomain(engine: Engine, dataDir: string): Promise<void> {
  if (await engine.db.storageDomain.findUnique({ where: { name: 'iso' } })) return;
  const dc = await engine.db.dataCenter.findUnique({ where: { name: 'Default' } });
  if (!dc) return;
  const dir = path.resolve(dataDir, 'domains', 'iso');
  mkdirSync(dir, { recursive: true });
  try {
    await runAction(engine, SYSTEM_ACTOR, addStorageDomain, {
      name: 'iso',
      dataCenterId: dc.id,
      domainType: 'ISO',
      storageType: 'POSIXFS',
      path: dir,
    });
  } catch (e) {
    console.error(`demo: could not add the ISO domain: ${(e as Error).message}`);
  }
}
