import { decodeGlobalID } from '@pothos/plugin-relay';
import { InputError } from '../server/errors.ts';

/** The database id inside a global id of the given type; a malformed or foreign id is bad input. */
export function localId(globalId: string, typename: string, path: string): string {
  let decoded: { typename: string; id: string } | null = null;
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    /* reported below */
  }
  if (!decoded || decoded.typename !== typename) throw new InputError([{ path, message: `"${globalId}" is not the id of a ${typename}` }]);
  return decoded.id;
}

/** localId for an optional argument. */
export function optionalLocalId(globalId: string | null | undefined, typename: string, path: string): string | undefined {
  return globalId == null ? undefined : localId(globalId, typename, path);
}
