import type { Db } from '../db.ts';
import { ALL_ACTION_GROUPS, type ActionGroup } from './actionGroups.ts';

interface RoleSpec {
  description: string;
  adminRole: boolean;
  actionGroups: ActionGroup[];
}

/** Roles built from others name LOGIN (and more) once. */
const unique = (groups: ActionGroup[]): ActionGroup[] => [...new Set(groups)];
const VM_USER: ActionGroup[] = ['LOGIN', 'VM_BASIC_OPERATIONS', 'CHANGE_VM_CD', 'CONNECT_TO_VM'];
const VM_MANAGER: ActionGroup[] = [
  ...VM_USER,
  'EDIT_VM_PROPERTIES',
  'DELETE_VM',
  'MANIPULATE_VM_SNAPSHOTS',
  'CREATE_TEMPLATE',
  'CREATE_DISK',
  'EDIT_DISK_PROPERTIES',
  'DELETE_DISK',
];
const HOST_ADMIN: ActionGroup[] = ['LOGIN', 'EDIT_HOST_CONFIGURATION', 'DELETE_HOST', 'MANIPULATE_HOST', 'CONFIGURE_HOST_NETWORK'];
const CLUSTER_ADMIN = unique([
  ...HOST_ADMIN,
  ...VM_MANAGER,
  'EDIT_CLUSTER_CONFIGURATION',
  'DELETE_CLUSTER',
  'CREATE_HOST',
  'CREATE_VM',
  'MIGRATE_VM',
  'EDIT_TEMPLATE_PROPERTIES',
  'DELETE_TEMPLATE',
]);

/** oVirt's built-in roles (a subset), kept in the database so permissions can reference them. */
export const BUILT_IN_ROLES: Record<string, RoleSpec> = {
  SuperUser: { description: 'Full control of everything', adminRole: true, actionGroups: ALL_ACTION_GROUPS },
  DataCenterAdmin: {
    description: 'Administrator of a data center and all it holds',
    adminRole: true,
    actionGroups: unique([
      ...CLUSTER_ADMIN,
      'EDIT_STORAGE_POOL_CONFIGURATION',
      'DELETE_STORAGE_POOL',
      'CREATE_STORAGE_POOL_NETWORK',
      'CONFIGURE_STORAGE_POOL_NETWORK',
      'DELETE_STORAGE_POOL_NETWORK',
      'CREATE_CLUSTER',
      'CREATE_STORAGE_DOMAIN',
      'EDIT_STORAGE_DOMAIN_CONFIGURATION',
      'DELETE_STORAGE_DOMAIN',
      'MANIPULATE_STORAGE_DOMAIN',
      'IMPORT_EXPORT_VM',
    ]),
  },
  ClusterAdmin: { description: 'Administrator of a cluster, its hosts and VMs', adminRole: true, actionGroups: CLUSTER_ADMIN },
  HostAdmin: { description: 'Administrator of a host', adminRole: true, actionGroups: HOST_ADMIN },
  NetworkAdmin: {
    description: 'Administrator of logical networks',
    adminRole: true,
    actionGroups: ['LOGIN', 'CREATE_STORAGE_POOL_NETWORK', 'CONFIGURE_STORAGE_POOL_NETWORK', 'DELETE_STORAGE_POOL_NETWORK'],
  },
  StorageAdmin: {
    description: 'Administrator of storage domains',
    adminRole: true,
    actionGroups: [
      'LOGIN',
      'CREATE_STORAGE_DOMAIN',
      'EDIT_STORAGE_DOMAIN_CONFIGURATION',
      'DELETE_STORAGE_DOMAIN',
      'MANIPULATE_STORAGE_DOMAIN',
    ],
  },
  ReadOnlyAdmin: { description: 'Sees everything below the object, changes nothing', adminRole: true, actionGroups: ['LOGIN'] },
  UserVmManager: { description: 'Runs, edits and removes the VMs it is given', adminRole: false, actionGroups: VM_MANAGER },
  PowerUserRole: { description: 'Creates VMs, disks and templates', adminRole: false, actionGroups: unique([...VM_MANAGER, 'CREATE_VM']) },
  VmCreator: { description: 'Creates VMs', adminRole: false, actionGroups: ['LOGIN', 'CREATE_VM'] },
  UserRole: { description: 'Uses the VMs it is given (run, stop, console)', adminRole: false, actionGroups: VM_USER },
};

/** Creates or refreshes the built-in roles (idempotent; run at every start). */
export async function ensureBuiltInRoles(db: Db): Promise<void> {
  for (const [name, spec] of Object.entries(BUILT_IN_ROLES)) {
    await db.role.upsert({
      where: { name },
      create: { name, ...spec, builtIn: true },
      update: { ...spec, builtIn: true },
    });
  }
}
