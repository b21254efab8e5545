import { z } from 'zod';
import { NotFoundError, type Reason } from '../errors.ts';

/** oVirt's rule for object names: letters, digits, '_', '-', '.'; no spaces. */
export const objectName = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, "may contain only letters, digits, '_', '-' and '.'");

export const description = z.string().max(1024);

export const id = z.uuid('must be an id');

/** The object, or a NotFoundError naming what is missing. */
export function found<T>(row: T | null | undefined, type: string, objectId: string): T {
  if (row === null || row === undefined) throw new NotFoundError(type, objectId);
  return row;
}

/** A refusal when `condition` holds. */
export function refuseWhen(condition: boolean, code: string, message: string): Reason | null {
  return condition ? { code, message } : null;
}

/** Refusal for a name that another object of the scope already has. */
export function nameFree(taken: boolean, type: string, name: string, scope = ''): Reason | null {
  return refuseWhen(taken, `${type.toUpperCase().replace(/ /g, '_')}_NAME_ALREADY_USED`,
    `The name ${name} is already used by another ${type}${scope ? ` in ${scope}` : ''}.`);
}
