import { z } from 'zod';

/** Where the engine reaches a host: a host name or an IP address. */
export const address = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or an IP address');
