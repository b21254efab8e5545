// Recent history of the stored samples, bucketed (server/history/statsHistory.ts): the points
// of Host.statsHistory, Vm.statsHistory and systemStatsHistory, and their `minutes` argument.
import { z } from 'zod';
import { builder } from '../builder.ts';
import { MAX_MINUTES, MAX_POINTS, type HostStatsPoint, type SystemStatsPoint, type VmStatsPoint } from '../../server/history/statsHistory.ts';

/** The `minutes` argument of every stats history field. */
export const minutesArg = {
  required: true,
  defaultValue: 60,
  description: `How far back, in minutes (1 to ${MAX_MINUTES}).`,
  validate: z.number().int().min(1, 'minutes is at least 1').max(MAX_MINUTES, `minutes is at most ${MAX_MINUTES}`),
} as const;

export const historyDescription = `Oldest first, at most ${MAX_POINTS} points, each the mean of the samples in one time bucket (wider for longer windows).`;
const newest = 'Time of the newest sample in the bucket.';

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

export const SystemStatsPointRef = builder.objectRef<SystemStatsPoint>('SystemStatsPoint').implement({
  description: 'All the hosts one may see, in one time bucket: each host counted once, by the mean of its samples.',
  fields: (t) => ({
    sampledAt: t.expose('sampledAt', { type: 'DateTime', description: newest }),
    hosts: t.exposeInt('hosts', { description: 'How many hosts have samples in the bucket.' }),
    cpuPercent: t.exposeFloat('cpuPercent', { description: 'Mean CPU used (user and system) of those hosts.' }),
    memUsedPercent: t.exposeFloat('memUsedPercent', { description: 'Memory used of their total memory.' }),
    netRxBps: t.exposeFloat('netRxBps', { description: 'Summed over the hosts.' }),
    netTxBps: t.exposeFloat('netTxBps', { description: 'Summed over the hosts.' }),
  }),
});
