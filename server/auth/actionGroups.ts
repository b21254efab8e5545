/**
 * oVirt's action groups: what a role lets its holder do. Every action declares the one it needs.
 * `LOGIN` and the VIEW groups are implied by any permission on an object.
 */
export const ACTION_GROUPS = {
  // system
  CONFIGURE_ENGINE: 'admin',
  MANIPULATE_USERS: 'admin',
  MANIPULATE_ROLES: 'admin',
  MANIPULATE_PERMISSIONS: 'admin',
  CREATE_STORAGE_POOL: 'admin',
  TAG_MANAGEMENT: 'admin',
  LOGIN: 'user',
  // data center
  EDIT_STORAGE_POOL_CONFIGURATION: 'admin',
  DELETE_STORAGE_POOL: 'admin',
  CREATE_STORAGE_POOL_NETWORK: 'admin',
  CONFIGURE_STORAGE_POOL_NETWORK: 'admin',
  DELETE_STORAGE_POOL_NETWORK: 'admin',
  CREATE_CLUSTER: 'admin',
  CREATE_STORAGE_DOMAIN: 'admin',
  // cluster
  EDIT_CLUSTER_CONFIGURATION: 'admin',
  DELETE_CLUSTER: 'admin',
  CREATE_HOST: 'admin',
  // host
  EDIT_HOST_CONFIGURATION: 'admin',
  DELETE_HOST: 'admin',
  MANIPULATE_HOST: 'admin',
  CONFIGURE_HOST_NETWORK: 'admin',
  // storage
  EDIT_STORAGE_DOMAIN_CONFIGURATION: 'admin',
  DELETE_STORAGE_DOMAIN: 'admin',
  MANIPULATE_STORAGE_DOMAIN: 'admin',
  // VMs
  CREATE_VM: 'user',
  DELETE_VM: 'user',
  EDIT_VM_PROPERTIES: 'user',
  VM_BASIC_OPERATIONS: 'user',
  CHANGE_VM_CD: 'user',
  MIGRATE_VM: 'admin',
  CONNECT_TO_VM: 'user',
  MANIPULATE_VM_SNAPSHOTS: 'user',
  CREATE_TEMPLATE: 'user',
  EDIT_TEMPLATE_PROPERTIES: 'user',
  DELETE_TEMPLATE: 'user',
  CREATE_DISK: 'user',
  EDIT_DISK_PROPERTIES: 'user',
  DELETE_DISK: 'user',
  IMPORT_EXPORT_VM: 'admin',
} as const satisfies Record<string, 'admin' | 'user'>;

export type ActionGroup = keyof typeof ACTION_GROUPS;

export const ALL_ACTION_GROUPS = Object.keys(ACTION_GROUPS) as ActionGroup[];

export function isActionGroup(name: string): name is ActionGroup {
  return name in ACTION_GROUPS;
}
