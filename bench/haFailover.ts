// From a host agent's death to its highly available VMs Up on other hosts, with power management:
// an engine in this process (embedded database in a temporary folder), simulated hosts reporting
// every 500 ms over graphql-ws, the demo's fence agent (demo/fence/fence_vireo_sim) and
// simulated BMC. The lost host runs --vms HA VMs; its agent is stopped and the clock starts.
// With --leases: no power management; each VM has a lease on a data domain (timeout
// --lease-timeout ms, the engine's default 20 s), and restarts once its lease has expired.
//   node --import tsx bench/haFailover.ts [--vms 50] [--hosts 4] [--leases] [--lease-timeout 20000]
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db.ts';
import { createEngine } from '../server/engine.ts';
import { createYogaApp } from '../server/http/app.ts';
import { listen } from '../server/http/listen.ts';
import { runAction, startAction } from '../server/actions/runAction.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { actions } from '../server/actions/registry.ts';
import { newAgentToken } from '../server/monitoring/agentToken.ts';
import { startHighAvailability } from '../server/ha/highAvailability.ts';
import { SimulatedHypervisor } from '../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../agent/session.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE, startSimulatedBmc } from '../demo/simulatedBmc.ts';

const { values } = parseArgs({
  options: {
    vms: { type: 'string', default: '50' },
    hosts: { type: 'string', default: '4' },
    leases: { type: 'boolean', default: false },
    'lease-timeout': { type: 'string', default: '20000' },
  },
});
const VMS = Number(values.vms);
const HOSTS = Number(values.hosts);
const LEASES = values.leases;
const LEASE_MS = Number(values['lease-timeout']);
const act = (name: string, input: Record<string, unknown>) => {
  const def = actions.find((a) => a.api?.mutation === name)!;
  return runAction(engine, SYSTEM_ACTOR, def, input);
};

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-ha-'));
process.env.VIREO_DATA_DIR = dir; // the simulated hosts' storage domains (and the leases on them)
const database = await openDatabase({ dataDir: dir });
const engine = createEngine(database, {
  monitoring: { reportIntervalMs: 500 },
  fencing: { searchPath: [SIM_FENCE_DIR] },
  leaseTimeoutMs: LEASE_MS,
});
const server = await listen(createYogaApp(engine), '127.0.0.1', 0);
engine.monitoring.start();
const ha = startHighAvailability(engine);
const bmc = await startSimulatedBmc({ username: 'root', password: 'bench-pass' });

const dc = await act('addDataCenter', { name: 'ha-dc' });
const cluster = await act('addCluster', { name: 'ha-cluster', dataCenterId: dc.id });
const domain = await act('addStorageDomain', { name: 'ha-data', dataCenterId: dc.id, path: 'nfs:/ha-data', capacityBytes: 2n ** 40n });
const hosts: { id: string; name: string; agent: Agent; power: 'ON' | 'OFF' }[] = [];
for (let i = 1; i <= HOSTS; i++) {
  const name = `ha-h${i}`;
  const row = await act('addHost', { name, address: `${name}.example.org`, clusterId: cluster.id });
  const { token, hash } = newAgentToken();
  await engine.db.host.update({ where: { id: row.id }, data: { agentTokenHash: hash } });
  const boot = () =>
    startAgent({
      engineUrl: server.url,
      hostName: name,
      token,
      driver: new SimulatedHypervisor({ hostName: name, memoryMb: 262_144, bootMs: 1000 }),
      intervalMs: 500,
      log: () => {},
    });
  const h = { id: row.id, name, agent: boot(), power: 'ON' as 'ON' | 'OFF' };
  hosts.push(h);
  bmc.plug(name, {
    power: () => h.power,
    off: async () => {
      h.power = 'OFF';
      await h.agent.stop();
    },
    on: async () => {
      h.agent = boot();
      h.power = 'ON';
    },
  });
  if (!LEASES)
    await act('addFenceAgent', {
      hostId: row.id,
      type: SIM_FENCE_TYPE,
      address: bmc.address,
      port: name,
      username: 'root',
      password: 'bench-pass',
      options: bmc.options,
    });
}
while ((await engine.db.host.count({ where: { status: 'UP' } })) < HOSTS) await new Promise((r) => setTimeout(r, 200));

const lost = hosts[0]!;
const vmIds: string[] = [];
for (let i = 0; i < VMS; i++) {
  const vm = await act('addVm', {
    name: `ha-vm${i}`,
    clusterId: cluster.id,
    memoryMb: 512,
    guaranteedMemoryMb: 512,
    highlyAvailable: true,
    haPriority: 1 + (i % 100),
    ...(LEASES ? { leaseStorageDomainId: domain.id } : {}),
  });
  vmIds.push(vm.id);
  await (await startAction(engine, SYSTEM_ACTOR, actions.find((a) => a.type === 'RunVm')!, { vmId: vm.id, hostId: lost.id })).outcome;
}
console.log(
  `${VMS} HA VMs Up on ${lost.name}; ${HOSTS - 1} other hosts; watchdog timeout ${engine.monitoring.timeoutMs} ms, fencing grace 5 s` +
    (LEASES ? `; no power management, VM leases (timeout ${LEASE_MS} ms)` : '; power management'),
);

const t0 = performance.now();
const at: Record<string, number> = {};
await lost.agent.stop(); // the agent dies
for (;;) {
  const h = await engine.db.host.findUniqueOrThrow({ where: { id: lost.id } });
  if (h.status === 'NON_RESPONSIVE') at.nonResponsive ??= performance.now() - t0;
  const down = await engine.db.auditLog.count({
    where: { code: LEASES ? 'VDS_LEASES_EXPIRED' : 'FENCE_HOST_REBOOT', hostId: lost.id },
  });
  if (down) at.fenced ??= performance.now() - t0;
  const up = await engine.db.vm.count({ where: { id: { in: vmIds }, status: 'UP', hostId: { not: lost.id } } });
  const upAnywhere = await engine.db.vm.count({ where: { id: { in: vmIds }, status: 'UP' } });
  if (at.fenced && upAnywhere === VMS) {
    at.allUp = performance.now() - t0;
    console.log(
      `agent death → NonResponsive ${(at.nonResponsive! / 1000).toFixed(1)} s → ${LEASES ? 'leases expired' : 'fenced'} (VMs Down) ${(at.fenced / 1000).toFixed(1)} s → all ${VMS} HA VMs Up ${(at.allUp / 1000).toFixed(1)} s (${up} on other hosts)`,
    );
    const failed = await engine.db.auditLog.findMany({ where: { code: 'HA_VM_RESTART_FAILED' }, select: { message: true } });
    console.log(`restart attempts that failed: ${failed.length}${failed.length ? ` (first: ${failed[0]!.message})` : ''}`);
    break;
  }
  if (performance.now() - t0 > 300_000) {
    console.log(`timed out: ${upAnywhere} of ${VMS} Up after 300 s`);
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
await ha.stop();
for (const h of hosts) await h.agent.stop();
await bmc.stop();
await engine.monitoring.stop();
await server.stop();
await database.close();
await fs.rm(dir, { recursive: true, force: true });
process.exit(0);
