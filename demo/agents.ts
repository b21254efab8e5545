// The demo's hosts get simulated agents inside the engine process, so stats move on a fresh
// machine. They connect over the same graphql-ws endpoint and token check as a real agent
// (`npm run agent`), and the VMs of the demo are started through the engine's commands.
import { Repeater } from 'graphql-yoga';
import type { Engine } from '../server/engine.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { runAction } from '../server/actions/runAction.ts';
import { issueHostAgentToken } from '../server/actions/host/issueAgentToken.ts';
import { startAgent, type Agent } from '../agent/session.ts';
import { SimulatedHypervisor } from '../agent/drivers/simulated.ts';
import type { DomainSpec } from '../protocol/messages.ts';

type VmRow = { id: string; name: string; memoryMb: number; cpuSockets: number; cpuCores: number; cpuThreads: number; osType: string; displayType: DomainSpec['display'] };
const spec = (v: VmRow): DomainSpec => ({ id: v.id, name: v.name, memoryMb: v.memoryMb, vcpus: v.cpuSockets * v.cpuCores * v.cpuThreads, osType: v.osType, display: v.displayType });

/** Starts one simulated agent per host; on a fresh demo, also starts about two VMs in three. */
export async function startDemoAgents(engine: Engine, engineUrl: string, opts: { except?: string[] } = {}): Promise<{ stop(): Promise<void> }> {
  // Hosts with agents of their own (the real libvirt host) get no simulated one.
  const hosts = await engine.db.host.findMany({ where: { name: { notIn: opts.except ?? [] } }, orderBy: { name: 'asc' }, include: { vms: { where: { status: { not: 'DOWN' } } } } });
  const fresh = hosts.every((h) => h.vms.length === 0);
  const agents: Agent[] = [];
  const reported = firstReports(engine, hosts);
  for (const [i, host] of hosts.entries()) {
    // A hypervisor keeps its VMs while the engine is down: the simulated one resumes with them.
    const driver = new SimulatedHypervisor({ hostName: host.name, seed: i + 1, running: host.vms.map(spec) });
    const { token } = await runAction(engine, SYSTEM_ACTOR, issueHostAgentToken, { hostId: host.id });
    agents.push(startAgent({ engineUrl, hostName: host.name, token, driver, intervalMs: engine.monitoring.reportIntervalMs, log: () => {} }));
  }
  // Ready once every agent has reported and the VMs are asked to start: the first-time work
  // (query plans, schema validation) is then behind us when the engine says it is ready.
  // Bounded, so that a host whose agent cannot report does not hold up the engine's start.
  await Promise.race([reported, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  if (fresh) await startSomeVms(engine, hosts.map((h) => ({ id: h.id, name: h.name, clusterId: h.clusterId })));
  return { async stop() { await Promise.all(agents.map((a) => a.stop())); } };
}

/** Resolves when each of the hosts has sent a report. */
async function firstReports(engine: Engine, hosts: { id: string; clusterId: string }[]) {
  const waiting = new Set(hosts.map((h) => h.id));
  if (!waiting.size) return;
  const clusters = [...new Set(hosts.map((h) => h.clusterId))];
  for await (const stats of Repeater.merge(clusters.map((c) => engine.pubsub.subscribe('host:stats', c)))) {
    waiting.delete(stats.hostId);
    if (!waiting.size) return;
  }
}

/** Spreads two VMs in three over the hosts of their cluster, once the agents are connected. */
async function startSomeVms(engine: Engine, hosts: { id: string; name: string; clusterId: string }[]) {
  const vms = await engine.db.vm.findMany({ where: { status: 'DOWN' }, orderBy: { name: 'asc' } });
  const placed = new Map<string, number>(); // per cluster, for round-robin
  for (const [i, vm] of vms.entries()) {
    if (i % 3 === 2) continue;
    const candidates = hosts.filter((h) => h.clusterId === vm.clusterId);
    const n = placed.get(vm.clusterId) ?? 0;
    placed.set(vm.clusterId, n + 1);
    const host = candidates[n % candidates.length];
    if (!host) continue;
    // The command channel opens right after the first report; give it a moment if need be.
    for (let tries = 0; !engine.hosts.isConnected(host.id) && tries < 50; tries++) await new Promise((r) => setTimeout(r, 100));
    await engine.db.vm.update({ where: { id: vm.id }, data: { status: 'WAIT_FOR_LAUNCH', hostId: host.id } });
    engine.pubsub.publish('vm:changed', { id: vm.id, kind: 'updated' });
    await engine.hosts.start(host, spec(vm)).catch((e: Error) => console.error(`demo: could not start ${vm.name}: ${e.message}`));
  }
}
