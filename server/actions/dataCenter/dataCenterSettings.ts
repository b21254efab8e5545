import { z } from 'zod';
import { description } from '../../validators/params.ts';

// The settings addDataCenter and updateDataCenter share.
export const dataCenterSettings = {
  description: description.optional(),
  local: z.boolean().optional().describe('Local storage (one host) instead of shared storage.'),
  compatibilityVersion: z
    .string()
    .regex(/^\d+\.\d+$/, 'must look like 4.7')
    .optional(),
};
