import { builder } from '../builder.ts';
import type { HostStatsPoint } from '../../server/history/statsHistory.ts';
import { newest, periodStart } from './statsHistoryArgs.ts';

export const HostStatsPointRef = builder.objectRef<HostStatsPoint>('HostStatsPoint').implement({
  description: "The mean of a host's stored samples in one period.",
  fields: (t) => ({
    sampledAt: t.expose('sampledAt', { type: 'DateTime', description: newest }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: periodStart }),
    samples: t.exposeInt('samples', { description: 'How many samples the period holds.' }),
    cpuPercent: t.exposeFloat('cpuPercent', { description: 'User and system.' }),
    cpuLoad: t.exposeFloat('cpuLoad'),
    cpuPercentMax: t.exposeFloat('cpuPercentMax', { description: 'The highest sample.' }),
    cpuPercentMin: t.exposeFloat('cpuPercentMin', { description: 'The lowest sample.' }),
    memUsedMbMax: t.exposeInt('memUsedMbMax'),
    memUsedMbMin: t.exposeInt('memUsedMbMin'),
    memUsedMb: t.exposeInt('memUsedMb'),
    memFreeMb: t.exposeInt('memFreeMb'),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
  }),
});
