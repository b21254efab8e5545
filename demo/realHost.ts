// The demo's one real host (`bash scripts/libvirt/demo.sh`): a libvirt host beside the simulated
// ones, in a cluster of its own, with one tiny real VM (the guest of scripts/libvirt/build-guest.sh)
// on a local storage domain, started with run-once Linux boot options. Its agent runs in the
// engine's process on the libvirt driver; everything is made through the same actions a user runs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../server/engine.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { runAction } from '../server/actions/runAction.ts';
import type { ActionDefinition } from '../server/actions/defineAction.ts';
import { addCluster } from '../server/actions/cluster/addCluster.ts';
import { addHost } from '../server/actions/host/addHost.ts';
import { addStorageDomain } from '../server/actions/storage/addStorageDomain.ts';
import { addVm } from '../server/actions/vm/addVm.ts';
import { runVm } from '../server/actions/vm/lifecycle/runVm.ts';
import { issueHostAgentToken } from '../server/actions/host/issueHostAgentToken.ts';
import { startAgent } from '../agent/session.ts';
import { LibvirtDriver } from '../agent/drivers/libvirt/libvirtDriver.ts';

export const REAL_HOST = 'real01';
const VM = 'tiny01';

export interface RealHostOptions {
  uri: string;
  guestDir: string;
  dataDir: string;
  /** The host NICs its agent owns and builds the networks on (the agent's --nics); absent: every NIC. */
  nics?: string[];
}

/** Adds the real host, its storage and VM when missing, starts its agent, and runs the VM if it is Down. */
export async function startRealHost(engine: Engine, engineUrl: string, o: RealHostOptions): Promise<{ stop(): Promise<void> }> {
  const run = <P, R>(def: ActionDefinition<P, R>, params: unknown) => runAction(engine, SYSTEM_ACTOR, def, params);
  let host = await engine.db.host.findUnique({ where: { name: REAL_HOST } });
  if (!host) {
    const dc = await engine.db.dataCenter.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    const cluster = await run(addCluster, { name: 'Libvirt', dataCenterId: dc.id, description: 'A real libvirt host (QEMU)' });
    host = await run(addHost, { name: REAL_HOST, address: '127.0.0.1', clusterId: cluster.id });
  }
  const { token } = await run(issueHostAgentToken, { hostId: host.id });
  const driver = new LibvirtDriver({ uri: o.uri, stateDir: path.resolve(o.dataDir, 'libvirt-agent'), ...(o.nics ? { nics: o.nics } : {}) });
  const agent = startAgent({
    engineUrl,
    hostName: REAL_HOST,
    token,
    driver,
    intervalMs: engine.monitoring.reportIntervalMs,
    log: (m) => console.log(`[${REAL_HOST}] ${m}`),
  });
  const hostId = host.id;
  void (async () => {
    for (
      let i = 0;
      i < 300 && !(engine.hosts.isConnected(hostId) && (await engine.db.host.findUniqueOrThrow({ where: { id: hostId } })).status === 'UP');
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    // The local domain is added once the host is Up to reach it (it measures its size), then the VM on it.
    if (!(await engine.db.vm.findFirst({ where: { name: VM } })))
      await addTinyVm(engine, run, hostId, o.dataDir).catch((e: Error) => console.error(`demo: could not add ${VM}: ${e.message}`));
    const vm = await engine.db.vm.findFirst({ where: { name: VM, hostId: null, status: 'DOWN' } });
    if (!vm) return;
    await run(runVm, {
      vmId: vm.id,
      hostId,
      runOnce: {
        kernelPath: path.join(o.guestDir, 'vmlinuz'),
        initrdPath: path.join(o.guestDir, 'initrd.img'),
        kernelParams: `console=ttyS0 quiet hn=${VM}`,
      },
    }).then(
      () => console.log(`demo: starting real VM ${VM} on ${REAL_HOST}`),
      (e: Error) => console.error(`demo: could not start ${VM}: ${e.message}`),
    );
  })();
  return {
    async stop() {
      await agent.stop();
      driver.close();
    },
  };
}

/** The local storage domain (under <data dir>/domains, an allowed storage root by default) and the tiny VM on it. */
async function addTinyVm(
  engine: Engine,
  run: <P, R>(def: ActionDefinition<P, R>, params: unknown) => Promise<R>,
  hostId: string,
  dataDir: string,
): Promise<void> {
  const host = await engine.db.host.findUniqueOrThrow({ where: { id: hostId }, include: { cluster: true } });
  const storageDir = path.resolve(dataDir, 'domains', 'libvirt-storage');
  mkdirSync(storageDir, { recursive: true });
  const storage =
    (await engine.db.storageDomain.findUnique({ where: { name: 'local-real01' } })) ??
    (await run(addStorageDomain, {
      name: 'local-real01',
      dataCenterId: host.cluster.dataCenterId,
      domainType: 'DATA',
      storageType: 'LOCALFS',
      path: storageDir,
    }));
  await run(addVm, {
    name: VM,
    clusterId: host.clusterId,
    description: 'A tiny real VM: Debian kernel, busybox, qemu-guest-agent',
    osType: 'other_linux',
    memoryMb: 128,
    guaranteedMemoryMb: 128,
    nics: [{ name: 'nic1' }],
    disks: [{ alias: `${VM}-data`, storageDomainId: storage.id, provisionedSizeBytes: 64n << 20n, interface: 'VIRTIO', bootable: true }],
  });
}
