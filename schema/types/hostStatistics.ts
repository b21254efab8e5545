// The latest sample of a host.
import { builder } from '../builder.ts';

export const HostStatisticsRef = builder.prismaObject('HostStatistics', {
  fields: (t) => ({
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
    sampledAt: t.expose('sampledAt', { type: 'DateTime' }),
  }),
});
