// The settings addCluster and updateCluster share.
import { z } from 'zod';
import { description } from '../../validators/params.ts';
import { SCHEDULING_POLICIES } from '../../scheduler/policies.ts';

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
  ballooningEnabled: z.boolean().optional(),
};
