import { z } from 'zod';
import { description } from '../../validators/params.ts';

// The settings addNetwork and updateNetwork share.
export const networkSettings = {
  description: description.optional(),
  vlanId: z.number().int().min(0).max(4094, 'VLAN ids run from 0 to 4094').nullable().optional(),
  mtu: z.number().int().min(68, 'must be at least 68').max(9000, 'must be at most 9000').optional(),
  vmNetwork: z.boolean().optional(),
};
