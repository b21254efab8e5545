// A cluster of hosts with simulated hypervisors whose agents talk to a real engine over
// graphql-ws (as `npm run agent` does), fast clocks, and helpers to drive VMs through GraphQL.
import { vi } from 'vitest';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { buildInventory, mutate } from '../support/inventory.ts';
import { layOut } from '../support/hostNetworks.ts';
import type { GqlResult, TestEngine } from '../support/testEngine.ts';
import type { SimulatedHypervisor, SimulatedOptions } from '../../agent/drivers/simulated.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';

export type { SimHost };

export interface Lab {
  url: string;
  clusterId: string;
  clusterGid: string;
  vmNetId: string;
  /** Global ids of the management network and of the lab's VM network (not required: hosts come Up without it). */
  mgmtGid: string;
  vmNetGid: string;
  hosts: SimHost[];
  fabric: Map<string, SimulatedHypervisor>;
  stop(): Promise<void>;
}

export const FAST: Partial<SimulatedOptions> = { bootMs: 400, shutdownMs: 300, migrateMs: 1500, saveMs: 200, restoreMs: 200 };

/** `count` hosts named `${prefix}-h1…`, each with a simulated hypervisor and an agent reporting every 100 ms. */
export async function startLab(t: TestEngine, prefix: string, count: number, driver: Partial<SimulatedOptions> = {}): Promise<Lab> {
  const server = await t.listen();
  const { cluster, vmNet, mgmt } = await buildInventory(t, prefix);
  const fabric = new Map<string, SimulatedHypervisor>();
  const hosts: SimHost[] = [];
  for (let i = 1; i <= count; i++) {
    hosts.push(
      await addSimulatedHost(t, server.url, cluster.id, `${prefix}-h${i}`, {
        seed: i,
        memoryMb: 16384,
        sockets: 1,
        coresPerSocket: 8,
        ...FAST,
        ...driver,
        fabric,
      }),
    );
  }
  await hostsUp(t, hosts);
  return {
    url: server.url,
    clusterId: decodeGlobalID(cluster.id).id,
    clusterGid: cluster.id,
    vmNetId: decodeGlobalID(vmNet.id).id,
    mgmtGid: mgmt.id,
    vmNetGid: vmNet.id,
    hosts,
    fabric,
    async stop() {
      await Promise.all(hosts.map((h) => h.agent.stop()));
      await server.stop();
    },
  };
}

/** Sets which of the lab's hosts carry its VM network (beside the management network, both on eno1), through setupNetworks. */
export async function carryVmNet(t: TestEngine, lab: Lab, hosts: SimHost[], carry = true) {
  for (const h of hosts)
    await layOut(t, h.gid, {
      attachments: [{ network: lab.mgmtGid, nic: 'eno1' }, ...(carry ? [{ network: lab.vmNetGid, nic: 'eno1' }] : [])],
    });
}

/** A Down VM in the lab's cluster, made through addVm. */
export async function addVm(
  t: TestEngine,
  lab: Lab,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; gid: string }> {
  const vm = await mutate(
    t,
    'addVm',
    { name, cluster: lab.clusterGid, memoryMb: 2048, guaranteedMemoryMb: 2048, cpuCores: 2, ...extra },
    'vm',
  );
  return { id: decodeGlobalID(vm.id).id, gid: vm.id };
}

/** Runs a lifecycle mutation; returns its payload (success or error member). */
export async function act(t: TestEngine, name: string, input: Record<string, unknown>): Promise<any> {
  const Input = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const res: GqlResult = await t.gql(
    `mutation($input: ${Input}!) { ${name}(input: $input) {
    __typename
    ... on Error { code message }
    ... on ValidationError { reasons { code message } }
    ... on Mutation${Input.replace(/Input$/, '')}Success { result { job { id status } } }
  } }`,
    { input },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data[name];
}

export async function vmRow(t: TestEngine, id: string) {
  return t.engine.db.vm.findUniqueOrThrow({ where: { id } });
}

/** Waits until the VM has the status (and host, when given). */
export async function vmReaches(t: TestEngine, id: string, status: string, hostId?: string | null, timeout = 15_000) {
  await vi.waitFor(
    async () => {
      const vm = await vmRow(t, id);
      if (vm.status !== status || (hostId !== undefined && vm.hostId !== hostId)) throw new Error(`VM is ${vm.status} on ${vm.hostId}`);
    },
    { timeout, interval: 50 },
  );
}

/** Waits until the job has ended; returns it with its steps. */
export async function jobEnds(t: TestEngine, jobGid: string, timeout = 15_000) {
  const id = decodeGlobalID(jobGid).id;
  await vi.waitFor(
    async () => {
      const job = await t.engine.db.job.findUniqueOrThrow({ where: { id } });
      if (job.status === 'STARTED') throw new Error('job still running');
    },
    { timeout, interval: 50 },
  );
  return t.engine.db.job.findUniqueOrThrow({ where: { id }, include: { steps: true } });
}

export async function eventCodes(t: TestEngine, vmId: string): Promise<string[]> {
  return (await t.engine.db.auditLog.findMany({ where: { vmId }, orderBy: { createdAt: 'asc' } })).map((e) => e.code);
}

export const hostGid = (id: string) => encodeGlobalID('Host', id);
