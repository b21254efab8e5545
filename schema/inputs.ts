import { z } from 'zod';
import type { RemovedNode } from '../server/actions/defineAction.ts';

/** GraphQL sends omitted optional fields as null; actions treat "not given" as undefined. */
export function stripNulls<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as never;
}

/** Payload of a removal mutation. */
export function removed(typename: string, id: string): RemovedNode {
  return { typename, id };
}

/** A substring to search names for (checked by the validation plugin). */
export const searchText = z.string().max(128, 'search text is at most 128 characters');
