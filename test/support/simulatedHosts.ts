// Hosts with simulated hypervisors whose agents talk to a real engine over graphql-ws (as
// `npm run agent` does), their tokens issued through the API. They also do the data center's
// image work (the agent's file storage under VIREO_DATA_DIR), which any test adding disks needs.
import { vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { mutate } from './inventory.ts';
import type { TestEngine } from './testEngine.ts';
import { SimulatedHypervisor, type SimulatedOptions } from '../../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../../agent/session.ts';
import { HookedDriver } from '../../agent/hooks/hookedDriver.ts';
import { HookRunner } from '../../agent/hooks/hookRunner.ts';
import type { StorageDriver } from '../../agent/storage/storageDriver.ts';
import type { Plug } from '../../demo/simulatedBmc.ts';

export interface SimHost {
  id: string;
  gid: string;
  name: string;
  driver: SimulatedHypervisor;
  agent: Agent;
  /** The host's power, as a BMC plug controls it: off stops its agent and its VMs with it, on boots it with nothing running. */
  plug: Plug;
  /** The agent process restarted (as `systemctl restart vdsmd`): a new agent, nothing of the old one's memory, the same hypervisor and VMs. */
  restartAgent(): Promise<void>;
}

/** A new agent token of the host (global id), as the administrator issues one. */
export async function issueAgentToken(t: TestEngine, hostGid: string): Promise<string> {
  const res = await t.gql(
    `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
    ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
    { input: { hostId: hostGid } },
  );
  return res.data.issueHostAgentToken.agentToken.token;
}

/** Adds a host to the cluster and starts its agent against `url` (reporting every 100 ms unless said); does not wait for it. */
export async function addSimulatedHost(
  t: TestEngine,
  url: string,
  clusterGid: string,
  name: string,
  driver: Partial<SimulatedOptions> = {},
  intervalMs = 100,
  /** The agent's storage; default: the real file storage. */
  storage?: StorageDriver,
  /** hooksDir: the agent's VDSM hooks folder (as `--hooks-dir`), none: no hooks run; memoryIntervalMs: MOM's least time between rounds. */
  agentOptions: { hooksDir?: string; memoryIntervalMs?: number } = {},
): Promise<SimHost> {
  const host = await mutate(t, 'addHost', { name, address: `${name}.example.org`, cluster: clusterGid }, 'host');
  const agentToken = await issueAgentToken(t, host.id);
  const agentOn = (sim: SimulatedHypervisor) =>
    startAgent({
      engineUrl: url,
      hostName: name,
      token: agentToken,
      driver: agentOptions.hooksDir ? new HookedDriver(sim, new HookRunner({ dir: agentOptions.hooksDir, log: () => {} })) : sim,
      ...(storage ? { storage } : {}),
      ...(agentOptions.memoryIntervalMs !== undefined ? { memoryIntervalMs: agentOptions.memoryIntervalMs } : {}),
      intervalMs,
      log: () => {},
    });
  const boot = () => {
    const sim = new SimulatedHypervisor({ hostName: name, ...driver });
    return { sim, agent: agentOn(sim) };
  };
  const first = boot();
  let power: 'ON' | 'OFF' = 'ON';
  const sim: SimHost = {
    id: decodeGlobalID(host.id).id,
    gid: host.id,
    name,
    driver: first.sim,
    agent: first.agent,
    plug: {
      power: () => power,
      async off() {
        power = 'OFF';
        await sim.agent.stop();
      },
      async on() {
        const next = boot();
        sim.driver = next.sim;
        sim.agent = next.agent;
        power = 'ON';
      },
    },
    async restartAgent() {
      await sim.agent.stop();
      sim.agent = agentOn(sim.driver);
    },
  };
  return sim;
}

/** Waits until every host is Up with its command channel open. */
export async function hostsUp(t: TestEngine, hosts: { id: string }[]): Promise<void> {
  await vi.waitFor(
    async () => {
      const up = await t.engine.db.host.count({ where: { id: { in: hosts.map((h) => h.id) }, status: 'UP' } });
      if (up !== hosts.length || !hosts.every((h) => t.engine.hosts.isConnected(h.id)))
        throw new Error(`${up} of ${hosts.length} hosts up`);
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** The engine served on a port and one Up simulated host in the cluster: enough for disks, imports and exports (and running VMs). */
export async function startStorageHost(
  t: TestEngine,
  clusterGid: string,
  name = 'storage-host',
  driver: Partial<SimulatedOptions> = {},
): Promise<SimHost & { url: string; stop(): Promise<void> }> {
  const server = await t.listen();
  const host = await addSimulatedHost(t, server.url, clusterGid, name, driver);
  await hostsUp(t, [host]);
  return {
    ...host,
    url: server.url,
    async stop() {
      await host.agent.stop();
      await server.stop();
    },
  };
}
