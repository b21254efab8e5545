// Zod fields of the user and group actions.
import { z } from 'zod';

export const userName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.@-]+$/, "may contain only letters, digits, '_', '.', '@' and '-'")
  .refine((name) => name !== '.' && name !== '..', "may not be '.' or '..'");
export const email = z.email('must be an e-mail address').max(256);
export const password = z.string().min(8, 'must be at least 8 characters').max(1024);
/** 'internal' for local accounts, or a directory profile's name. */
export const domain = z
  .string()
  .regex(/^[A-Za-z0-9.-]+$/)
  .default('internal');
export const personName = z.string().max(256);
