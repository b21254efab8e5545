import { builder } from '../builder.ts';
import type { VmStatsPoint } from '../../server/history/statsHistory.ts';
import { newest, periodStart } from './statsHistoryArgs.ts';

export const VmStatsPointRef = builder.objectRef<VmStatsPoint>('VmStatsPoint').implement({
  description: "The mean of a VM's stored samples in one period.",
  fields: (t) => ({
    sampledAt: t.expose('sampledAt', { type: 'DateTime', description: newest }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: periodStart }),
    samples: t.exposeInt('samples', { description: 'How many samples the period holds.' }),
    cpuPercent: t.exposeFloat('cpuPercent'),
    cpuPercentMax: t.exposeFloat('cpuPercentMax', { description: 'The highest sample.' }),
    cpuPercentMin: t.exposeFloat('cpuPercentMin', { description: 'The lowest sample.' }),
    memUsedMbMax: t.exposeInt('memUsedMbMax'),
    memUsedMbMin: t.exposeInt('memUsedMbMin'),
    memUsedMb: t.exposeInt('memUsedMb', { description: 'Memory used inside the guest (guest agent).' }),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
    diskReadBps: t.exposeFloat('diskReadBps'),
    diskWriteBps: t.exposeFloat('diskWriteBps'),
  }),
});
