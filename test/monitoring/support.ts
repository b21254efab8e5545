// A cluster with one host whose agent token is issued through the API, as an administrator would.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { buildInventory, mutate } from '../support/inventory.ts';
import type { TestEngine } from '../support/testEngine.ts';
import type { AgentHello, AgentReport, DomainReport } from '../../protocol/messages.ts';
import { AGENT_HELLO, AGENT_REPORT } from '../../protocol/operations.ts';

export async function hostWithToken(t: TestEngine, name = 'host1') {
  const { cluster } = await buildInventory(t, name);
  const host = await mutate(t, 'addHost', { name, address: `${name}.example.org`, cluster: cluster.id }, 'host');
  const res = await t.gql(
    `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
    ... on MutationIssueHostAgentTokenSuccess { agentToken { hostName token } } ... on Error { message } } }`,
    { input: { hostId: host.id } },
  );
  const token: string = res.data.issueHostAgentToken.agentToken.token;
  return {
    name,
    token,
    hostGid: host.id as string,
    hostId: decodeGlobalID(host.id).id,
    clusterGid: cluster.id as string,
    clusterId: decodeGlobalID(cluster.id).id,
  };
}

export const hello: AgentHello = {
  protocolVersion: 1,
  agentVersion: '0.1.0-test',
  capabilities: {
    cpu: { model: 'Test CPU', sockets: 2, coresPerSocket: 4, threadsPerCore: 2 },
    memoryMb: 65536,
    osVersion: 'EL9',
    nics: [{ name: 'eno1', macAddress: '02:00:00:00:00:01', speedMbps: 10000, mtu: 1500 }],
    // A deployed host: the management network is on the NIC the agent talks over.
    network: { bonds: [], networks: [{ name: 'ovirtmgmt', nic: 'eno1', vlanId: null, mtu: 1500, vmNetwork: true }] },
    connectedVia: 'eno1',
    storage: [{ path: '/data', kind: 'nfs', capacityBytes: 1e12, usedBytes: 1e11 }],
  },
};

export function domain(id: string, name: string, state: DomainReport['state'], extra: Partial<DomainReport> = {}): DomainReport {
  return {
    id,
    name,
    state,
    memoryMb: 2048,
    vcpus: 2,
    sample: { cpuPercent: 12.5, netRxBps: 1000, netTxBps: 500, diskReadBps: 2000, diskWriteBps: 100, uptimeSeconds: 60 },
    guest: { hostname: `${name}.example.org`, ips: ['10.0.0.5'], memUsedMb: 900, applications: ['nginx'], loggedInUser: 'root' },
    ...extra,
  };
}

export function report(seq: number, domains: DomainReport[]): AgentReport {
  return {
    seq,
    sampledAt: new Date().toISOString(),
    domains,
    host: {
      cpuUserPercent: 10 + seq,
      cpuSysPercent: 2,
      cpuIdlePercent: 88 - seq,
      cpuLoad: 1.5,
      memUsedMb: 8000,
      memFreeMb: 57536,
      swapUsedMb: 0,
      netRxBps: 1e4,
      netTxBps: 5e3,
    },
  };
}

/** Sends an agent message over HTTP, anonymously as the agent would (it uses graphql-ws; the operations are the same). */
export function send(t: TestEngine, op: 'hello' | 'report', host: { name: string; token: string }, payload: unknown) {
  return t.gqlAs(null, op === 'hello' ? AGENT_HELLO : AGENT_REPORT, {
    host: host.name,
    token: host.token,
    payload: JSON.stringify(payload),
  });
}
