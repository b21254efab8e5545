// The demo's hosts get simulated agents inside the engine process, so stats move on a fresh
// machine. They connect over the same graphql-ws endpoint and token check as a real agent
// (`npm run agent`); on a fresh demo their networks are laid out with setupNetworks and about
// two VMs in three are started with runVm: what the demo shows is what the engine allows. Each
// host's power is a plug of the demo's simulated BMC (demo/powerManagement.ts): off stops its agent
// and its VMs with it, on boots it again with nothing running.
import { Repeater } from 'graphql-yoga';
import type { Engine } from '../server/engine.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { runAction } from '../server/actions/runAction.ts';
import { issueHostAgentToken } from '../server/actions/host/issueHostAgentToken.ts';
import { runVm } from '../server/actions/vm/lifecycle/runVm.ts';
import { layOutDemoNetworks } from './networks.ts';
import { addDemoDisks, addDemoIsoDomain } from './seed.ts';
import { loadConfig } from '../server/config.ts';
import { startAgent, type Agent } from '../agent/session.ts';
import { SimulatedHypervisor } from '../agent/drivers/simulated.ts';
import type { DomainSpec } from '../protocol/messages.ts';
import type { Plug } from './simulatedBmc.ts';
import { startDemoPowerManagement } from './powerManagement.ts';

type VmRow = {
  id: string;
  name: string;
  memoryMb: number;
  cpuSockets: number;
  cpuCores: number;
  cpuThreads: number;
  osType: string;
  displayType: DomainSpec['display'];
};
const spec = (v: VmRow): DomainSpec => ({
  id: v.id,
  name: v.name,
  memoryMb: v.memoryMb,
  vcpus: v.cpuSockets * v.cpuCores * v.cpuThreads,
  osType: v.osType,
  display: v.displayType,
});

/** Starts one simulated agent per host; on a fresh demo, also starts about two VMs in three. */
export async function startDemoAgents(
  engine: Engine,
  engineUrl: string,
  opts: { except?: string[] } = {},
): Promise<{ stop(): Promise<void> }> {
  // Hosts with agents of their own (the real libvirt host) get no simulated one.
  const hosts = await engine.db.host.findMany({
    where: { name: { notIn: opts.except ?? [] } },
    orderBy: { name: 'asc' },
    include: { vms: { where: { status: { not: 'DOWN' } } } },
  });
  const fresh = hosts.every((h) => h.vms.length === 0);
  const agents = new Map<string, Agent | null>();
  const plugs = new Map<string, { id: string; plug: Plug }>();
  const reported = firstReports(engine, hosts);
  for (const [i, host] of hosts.entries()) {
    const { token } = await runAction(engine, SYSTEM_ACTOR, issueHostAgentToken, { hostId: host.id });
    const boot = (running: VmRow[]) =>
      startAgent({
        engineUrl,
        hostName: host.name,
        token,
        driver: new SimulatedHypervisor({ hostName: host.name, seed: i + 1, running: running.map(spec) }),
        intervalMs: engine.monitoring.reportIntervalMs,
        log: () => {},
      });
    // A hypervisor keeps its VMs while the engine is down: the simulated one resumes with them.
    agents.set(host.name, boot(host.vms));
    plugs.set(host.name, {
      id: host.id,
      plug: {
        power: () => (agents.get(host.name) ? 'ON' : 'OFF'),
        async off() {
          const agent = agents.get(host.name);
          agents.set(host.name, null);
          await agent?.stop();
        },
        async on() {
          agents.set(host.name, boot([]));
        },
      },
    });
  }
  // Ready once every agent has reported and the VMs are asked to start: the first-time work
  // (query plans, schema validation) is then behind us when the engine says it is ready.
  // Bounded, so that a host whose agent cannot report does not hold up the engine's start.
  await Promise.race([reported, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  await waitForCommandChannels(engine, hosts);
  await layOutDemoNetworks(engine, hosts);
  // Disks are made by the hosts: the demo VMs get theirs once the agents are connected.
  await addDemoDisks(engine);
  await addDemoIsoDomain(engine, loadConfig().VIREO_DATA_DIR);
  if (fresh) await startSomeVms(engine);
  const bmc = await startDemoPowerManagement(engine, plugs);
  return {
    async stop() {
      await bmc.stop();
      await Promise.all([...agents.values()].map((a) => a?.stop()));
    },
  };
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

/** The command channel opens right after the first report; give it a moment if need be (bounded). */
async function waitForCommandChannels(engine: Engine, hosts: { id: string }[]) {
  for (let tries = 0; tries < 50 && !hosts.every((h) => engine.hosts.isConnected(h.id)); tries++)
    await new Promise((r) => setTimeout(r, 100));
}

/** Starts two VMs in three with runVm, as a user would: the scheduler places them. */
async function startSomeVms(engine: Engine) {
  const vms = await engine.db.vm.findMany({ where: { status: 'DOWN' }, orderBy: { name: 'asc' } });
  for (const [i, vm] of vms.entries()) {
    if (i % 3 === 2) continue;
    try {
      await runAction(engine, SYSTEM_ACTOR, runVm, { vmId: vm.id });
    } catch (e) {
      console.error(`demo: could not start ${vm.name}: ${(e as Error).message}`);
    }
  }
}
