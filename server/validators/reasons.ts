// Helpers for checks: a missing object as NotFoundError, a condition as a coded refusal.
import { NotFoundError, type Reason } from '../errors.ts';

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
  return refuseWhen(
    taken,
    `${type.toUpperCase().replace(/ /g, '_')}_NAME_ALREADY_USED`,
    `The name ${name} is already used by another ${type}${scope ? ` in ${scope}` : ''}.`,
  );
}
