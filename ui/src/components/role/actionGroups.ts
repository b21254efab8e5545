// Every action group, for the custom-role form. A Record over the schema's ActionGroup type, so a
// group added to the schema fails the type check here until it is listed.
import type { ActionGroup } from '../../gql/graphql';

/** The area of each group: a key of accounts.role.area in the locale files. */
const AREAS: Record<ActionGroup, string> = {
  LOGIN: 'system',
  CONFIGURE_ENGINE: 'system',
  MANIPULATE_USERS: 'system',
  MANIPULATE_ROLES: 'system',
  MANIPULATE_PERMISSIONS: 'system',
  TAG_MANAGEMENT: 'system',
  CREATE_STORAGE_POOL: 'dataCenter',
  DELETE_STORAGE_POOL: 'dataCenter',
  EDIT_STORAGE_POOL_CONFIGURATION: 'dataCenter',
  CREATE_STORAGE_POOL_NETWORK: 'network',
  DELETE_STORAGE_POOL_NETWORK: 'network',
  CONFIGURE_STORAGE_POOL_NETWORK: 'network',
  CREATE_CLUSTER: 'cluster',
  DELETE_CLUSTER: 'cluster',
  EDIT_CLUSTER_CONFIGURATION: 'cluster',
  CREATE_HOST: 'host',
  DELETE_HOST: 'host',
  EDIT_HOST_CONFIGURATION: 'host',
  MANIPULATE_HOST: 'host',
  CONFIGURE_HOST_NETWORK: 'host',
  CREATE_STORAGE_DOMAIN: 'storage',
  DELETE_STORAGE_DOMAIN: 'storage',
  EDIT_STORAGE_DOMAIN_CONFIGURATION: 'storage',
  MANIPULATE_STORAGE_DOMAIN: 'storage',
  CREATE_DISK: 'disk',
  DELETE_DISK: 'disk',
  EDIT_DISK_PROPERTIES: 'disk',
  CREATE_TEMPLATE: 'template',
  DELETE_TEMPLATE: 'template',
  EDIT_TEMPLATE_PROPERTIES: 'template',
  CREATE_VM: 'vm',
  DELETE_VM: 'vm',
  EDIT_VM_PROPERTIES: 'vm',
  VM_BASIC_OPERATIONS: 'vm',
  CHANGE_VM_CD: 'vm',
  CONNECT_TO_VM: 'vm',
  MIGRATE_VM: 'vm',
  MANIPULATE_VM_SNAPSHOTS: 'vm',
  IMPORT_EXPORT_VM: 'vm',
};

/** Action groups by area, in a stable order. */
export const ACTION_GROUPS_BY_AREA: { area: string; groups: ActionGroup[] }[] = [...new Set(Object.values(AREAS))].map((area) => ({
  area,
  groups: (Object.keys(AREAS) as ActionGroup[]).filter((g) => AREAS[g] === area),
}));
