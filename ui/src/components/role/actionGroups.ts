// Every action group, for the custom-role form. A Record over the schema's ActionGroup type, so a
// group added to the schema fails the type check here until it is listed.
import type { ActionGroup } from '../../gql/graphql';

const AREAS: Record<ActionGroup, string> = {
  LOGIN: 'System',
  CONFIGURE_ENGINE: 'System',
  MANIPULATE_USERS: 'System',
  MANIPULATE_ROLES: 'System',
  MANIPULATE_PERMISSIONS: 'System',
  TAG_MANAGEMENT: 'System',
  CREATE_STORAGE_POOL: 'Data center',
  DELETE_STORAGE_POOL: 'Data center',
  EDIT_STORAGE_POOL_CONFIGURATION: 'Data center',
  CREATE_STORAGE_POOL_NETWORK: 'Network',
  DELETE_STORAGE_POOL_NETWORK: 'Network',
  CONFIGURE_STORAGE_POOL_NETWORK: 'Network',
  CREATE_CLUSTER: 'Cluster',
  DELETE_CLUSTER: 'Cluster',
  EDIT_CLUSTER_CONFIGURATION: 'Cluster',
  CREATE_HOST: 'Host',
  DELETE_HOST: 'Host',
  EDIT_HOST_CONFIGURATION: 'Host',
  MANIPULATE_HOST: 'Host',
  CONFIGURE_HOST_NETWORK: 'Host',
  CREATE_STORAGE_DOMAIN: 'Storage',
  DELETE_STORAGE_DOMAIN: 'Storage',
  EDIT_STORAGE_DOMAIN_CONFIGURATION: 'Storage',
  MANIPULATE_STORAGE_DOMAIN: 'Storage',
  CREATE_DISK: 'Disk',
  DELETE_DISK: 'Disk',
  EDIT_DISK_PROPERTIES: 'Disk',
  CREATE_TEMPLATE: 'Template',
  DELETE_TEMPLATE: 'Template',
  EDIT_TEMPLATE_PROPERTIES: 'Template',
  CREATE_VM: 'VM',
  DELETE_VM: 'VM',
  EDIT_VM_PROPERTIES: 'VM',
  VM_BASIC_OPERATIONS: 'VM',
  CHANGE_VM_CD: 'VM',
  CONNECT_TO_VM: 'VM',
  MIGRATE_VM: 'VM',
  MANIPULATE_VM_SNAPSHOTS: 'VM',
  IMPORT_EXPORT_VM: 'VM',
};

/** Action groups by area, in a stable order. */
export const ACTION_GROUPS_BY_AREA: { area: string; groups: ActionGroup[] }[] = [...new Set(Object.values(AREAS))].map((area) => ({
  area,
  groups: (Object.keys(AREAS) as ActionGroup[]).filter((g) => AREAS[g] === area),
}));
