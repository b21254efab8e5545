// Live monitoring: the stats samples that stream to subscribers, and the agent-facing payloads.
import { builder } from '../builder.ts';
import type { HostStatsEvent, VmStatsEvent } from '../../server/pubsub.ts';
import { canSee } from '../../server/auth/permissions.ts';

// Like Query and Mutation: a session is needed, except for the agents' own field (agentCommands).
builder.subscriptionType({ authScopes: { loggedIn: true } });

export const AgentSessionRef = builder.objectRef<{ hostId: string; reportIntervalMs: number }>('AgentSession').implement({
  description: 'What the engine tells an agent that said hello.',
  fields: (t) => ({
    hostId: t.exposeString('hostId', { description: 'Database id of the host (not a global id).' }),
    reportIntervalMs: t.exposeInt('reportIntervalMs'),
  }),
});

export const AgentTokenRef = builder.objectRef<{ host: { id: string; name: string }; token: string }>('HostAgentToken').implement({
  description: 'A host agent token; shown once, only its hash is stored.',
  fields: (t) => ({
    hostName: t.string({ resolve: (r) => r.host.name }),
    token: t.exposeString('token', { description: 'Give it to the agent: `npm run agent -- --name HOST --token TOKEN`.' }),
  }),
});

export const HostStatsSampleRef = builder.objectRef<HostStatsEvent>('HostStatsSample').implement({
  description: 'One sample of a host, as its agent reported it.',
  authScopes: (row) => ({ visible: (v) => canSee.host(v, { id: row.hostId, clusterId: row.clusterId }) }),
  fields: (t) => ({
    hostId: t.exposeString('hostId', { description: 'Database id of the host.' }),
    clusterId: t.exposeString('clusterId'),
    cpuUserPercent: t.exposeFloat('cpuUserPercent'),
    cpuSysPercent: t.exposeFloat('cpuSysPercent'),
    cpuIdlePercent: t.exposeFloat('cpuIdlePercent'),
    cpuLoad: t.exposeFloat('cpuLoad'),
    memUsedMb: t.exposeInt('memUsedMb'),
    memFreeMb: t.exposeInt('memFreeMb'),
    swapUsedMb: t.exposeInt('swapUsedMb'),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
    runningVms: t.exposeInt('runningVms'),
    sampledAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.sampledAt) }),
  }),
});

export const VmStatsSampleRef = builder.objectRef<VmStatsEvent>('VmStatsSample').implement({
  description: 'One sample of a VM, with what its guest agent reports.',
  authScopes: (row) => ({ visible: (v) => canSee.vm(v, { id: row.vmId, clusterId: row.clusterId }) }),
  fields: (t) => ({
    vmId: t.exposeString('vmId', { description: 'Database id of the VM.' }),
    hostId: t.exposeString('hostId'),
    clusterId: t.exposeString('clusterId'),
    cpuPercent: t.exposeFloat('cpuPercent'),
    memUsedMb: t.exposeInt('memUsedMb', { description: 'Memory used inside the guest (guest agent).' }),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
    diskReadBps: t.exposeFloat('diskReadBps'),
    diskWriteBps: t.exposeFloat('diskWriteBps'),
    uptimeSeconds: t.exposeInt('uptimeSeconds'),
    guestHostname: t.exposeString('guestHostname'),
    guestIps: t.exposeStringList('guestIps'),
    guestApps: t.exposeStringList('guestApps'),
    guestUser: t.exposeString('guestUser'),
    sampledAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.sampledAt) }),
  }),
});
