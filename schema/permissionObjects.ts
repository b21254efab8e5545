// The objects permissions (and API tokens) are granted on, read from the global ids the API takes.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { localId } from './ids.ts';
import { SYSTEM_ID } from '../server/auth/objects.ts';
import { InputError } from '../server/errors.ts';
import type { ObjectType } from '../generated/prisma/enums.ts';

/** GraphQL type name of each object type. */
const TYPENAME: Record<ObjectType, string> = {
  SYSTEM: '',
  DATA_CENTER: 'DataCenter',
  CLUSTER: 'Cluster',
  HOST: 'Host',
  VM: 'Vm',
  STORAGE_DOMAIN: 'StorageDomain',
  NETWORK: 'Network',
  TEMPLATE: 'Template',
  DISK: 'Disk',
};

/** The object a global id names; System when there is none. A global id of another type is bad input at `path`. */
export function permissionObject(globalId: string | null | undefined, path = 'object'): { type: ObjectType; id: string } {
  if (!globalId) return { type: 'SYSTEM', id: SYSTEM_ID };
  let typename = '';
  try {
    typename = decodeGlobalID(globalId).typename;
  } catch {
    /* reported below */
  }
  const type = (Object.entries(TYPENAME) as [ObjectType, string][]).find(([t, name]) => name === typename && t !== 'SYSTEM')?.[0];
  if (!type) throw new InputError([{ path, message: `"${globalId}" is not the id of an object permissions can be granted on` }]);
  return { type, id: localId(globalId, typename, path) };
}
