import { builder } from '../builder.ts';
import type { SystemStatsPoint } from '../../server/history/statsHistory.ts';
import { newest, periodStart } from './statsHistoryArgs.ts';

export const SystemStatsPointRef = builder.objectRef<SystemStatsPoint>('SystemStatsPoint').implement({
  description: 'All the hosts one may see, in one period: each host counted once, by the mean of its samples.',
  fields: (t) => ({
    sampledAt: t.expose('sampledAt', { type: 'DateTime', description: newest }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: periodStart }),
    hosts: t.exposeInt('hosts', { description: 'How many hosts have samples in the bucket.' }),
    cpuPercent: t.exposeFloat('cpuPercent', { description: 'Mean CPU used (user and system) of those hosts.' }),
    memUsedPercent: t.exposeFloat('memUsedPercent', { description: 'Memory used of their total memory.' }),
    netRxBps: t.exposeFloat('netRxBps', { description: 'Summed over the hosts.' }),
    netTxBps: t.exposeFloat('netTxBps', { description: 'Summed over the hosts.' }),
  }),
});
