// The settings addCluster and updateCluster share.
import { z } from 'zod';
import { description } from '../../validators/params.ts';
import { SCHEDULING_POLICIES } from '../../scheduler/policies.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';
import { customPropertyRules, namesUnique } from '../../validators/customProperties.ts';

export const clusterSettings = {
  description: description.optional(),
  cpuType: z.string().min(1).max(128).optional(),
  memoryOvercommitPercent: z
    .number()
    .int()
    .min(100, 'must be at least 100')
    .max(400, 'must be at most 400')
    .optional()
    .describe('100 (none) to 400.'),
  schedulingPolicy: z.enum(SCHEDULING_POLICIES).meta({ graphql: 'SchedulingPolicy' }).optional(),
  haReservation: z.boolean().optional(),
  fencingEnabled: z
    .boolean()
    .optional()
    .describe('Whether NonResponsive hosts of the cluster are fenced (soft, then through power management).'),
  fencingSkipPercent: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Skip fencing while more than this share (%) of the hosts are NonResponsive at once (default 50).'),
  powerSavingSpareHosts: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(1000, 'must be at most 1000')
    .optional()
    .describe('Power saving: Up hosts without VMs kept running as spares; the other empty ones are powered off (1 by default).'),
  powerSavingIdleMinutes: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(10_080, 'must be at most 10080 (a week)')
    .optional()
    .describe(
      'Power saving: how long (minutes) a host must have run no VM before it is put into maintenance and powered off; 10 by default.',
    ),
  ballooningEnabled: z
    .boolean()
    .optional()
    .describe("MOM on the cluster's hosts: deflate the balloons of VMs with ballooning enabled while host memory runs short."),
  ballooningLowFreePercent: z
    .number()
    .int()
    .min(0)
    .max(99)
    .optional()
    .describe('MOM: a host whose free memory is under this share (%) of its memory takes memory back from ballooned VMs; 20 by default.'),
  ballooningHighFreePercent: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('MOM: a host whose free memory is over this share (%) gives ballooned VMs their memory back; 30 by default.'),
  ksmEnabled: z
    .boolean()
    .optional()
    .describe("MOM: run KSM (kernel same-page merging) on the cluster's hosts while free memory is under the low threshold."),
  customProperties: customPropertyRules.optional(),
  highUtilizationPercent: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .optional()
    .describe('The balancer: a host whose CPU stays above this share (%) for cpuOverloadMinutes is over-used; 80 by default.'),
  lowUtilizationPercent: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(99, 'must be at most 99')
    .optional()
    .describe('The balancer under power_saving: a host whose CPU stays below this share (%) is under-used; 20 by default.'),
  cpuOverloadMinutes: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(120, 'must be at most 120')
    .optional()
    .describe("How long (minutes) a host's CPU must stay past a threshold before the balancer acts; 2 by default."),
  maxVmCountDifference: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .optional()
    .describe(
      'vm_evenly_distributed: the balancer moves VMs while the busiest host runs more than this many over the least busy; 3 by default.',
    ),
};

/** The thresholds after the change must leave room between them. */
export function thresholdReasons(low: number, high: number): Reason | null {
  return refuseWhen(
    low >= high,
    'CLUSTER_THRESHOLDS_INVALID',
    `The low utilization threshold (${low} %) must be below the high one (${high} %).`,
  );
}

/** MOM's thresholds after the change leave room between them; custom property names are unique. */
export function memoryPolicyReasons(low: number, high: number, rules: { name: string }[] | undefined): (Reason | null)[] {
  return [
    refuseWhen(
      low >= high,
      'CLUSTER_THRESHOLDS_INVALID',
      `The low free-memory threshold (${low} %) must be below the high one (${high} %).`,
    ),
    namesUnique(rules, 'custom property'),
  ];
}
