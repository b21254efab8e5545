// The latest sample of a running VM.
import { builder } from '../builder.ts';

export const VmStatisticsRef = builder.prismaObject('VmStatistics', {
  fields: (t) => ({
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
    sampledAt: t.expose('sampledAt', { type: 'DateTime' }),
  }),
});
