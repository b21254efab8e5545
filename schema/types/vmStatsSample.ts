// A VM sample as it streams to subscribers (vmStats).
import { builder } from '../builder.ts';
import type { VmStatsEvent } from '../../server/pubsub.ts';
import { canSee } from '../../server/auth/permissions.ts';

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
