import { builder } from '../builder.ts';
import type { VmStatsPoint } from '../../server/history/statsHistory.ts';
import { newest } from './statsHistoryArgs.ts';

export const VmStatsPointRef = builder.objectRef<VmStatsPoint>('VmStatsPoint').implement({
  description: "The mean of a VM's stored samples in one time bucket.",
  fields: (t) => ({
    sampledAt: t.expose('sampledAt', { type: 'DateTime', description: newest }),
    samples: t.exposeInt('samples', { description: 'How many samples the bucket holds.' }),
    cpuPercent: t.exposeFloat('cpuPercent'),
    memUsedMb: t.exposeInt('memUsedMb', { description: 'Memory used inside the guest (guest agent).' }),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
    diskReadBps: t.exposeFloat('diskReadBps'),
    diskWriteBps: t.exposeFloat('diskWriteBps'),
  }),
});
