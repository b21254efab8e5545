// A host sample as it streams to subscribers (hostStats).
import { builder } from '../builder.ts';
import type { HostStatsEvent } from '../../server/pubsub.ts';
import { canSee } from '../../server/auth/permissions.ts';

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
