import { builder } from '../builder.ts';
import type { HostStatsPoint } from '../../server/history/statsHistory.ts';
import { newest } from './statsHistoryArgs.ts';

export const HostStatsPointRef = builder.objectRef<HostStatsPoint>('HostStatsPoint').implement({
  description: "The mean of a host's stored samples in one time bucket.",
  fields: (t) => ({
    sampledAt: t.expose('sampledAt', { type: 'DateTime', description: newest }),
    samples: t.exposeInt('samples', { description: 'How many samples the bucket holds.' }),
    cpuPercent: t.exposeFloat('cpuPercent', { description: 'User and system.' }),
    cpuLoad: t.exposeFloat('cpuLoad'),
    memUsedMb: t.exposeInt('memUsedMb'),
    memFreeMb: t.exposeInt('memFreeMb'),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
  }),
});
