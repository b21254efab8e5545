import { encodeGlobalID } from '@pothos/plugin-relay';

/** GraphQL sends omitted optional fields as null; actions treat "not given" as undefined. */
export function stripNulls<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as never;
}

/** Payload of a removal mutation. */
export function removed(typename: string, id: string) {
  return { id: encodeGlobalID(typename, id) };
}
