import type { AuditSeverity } from '../../generated/prisma/enums.ts';

/**
 * Every event Vireo writes, by code (oVirt's AuditLogType): its severity and message template.
 * `${name}` placeholders are filled from the event's variables.
 */
export const auditLogTypes = {
  USER_ADD_STORAGE_POOL: ['NORMAL', 'Data Center ${dataCenterName} was created by ${userName}.'],
  USER_UPDATE_STORAGE_POOL: ['NORMAL', 'Data Center ${dataCenterName} was updated by ${userName}.'],
  USER_REMOVE_STORAGE_POOL: ['NORMAL', 'Data Center ${dataCenterName} was removed by ${userName}.'],
  USER_ADD_CLUSTER: ['NORMAL', 'Cluster ${clusterName} was added by ${userName}.'],
  USER_UPDATE_CLUSTER: ['NORMAL', 'Cluster ${clusterName} was updated by ${userName}.'],
  USER_REMOVE_CLUSTER: ['NORMAL', 'Cluster ${clusterName} was removed by ${userName}.'],
  USER_ADD_VDS: ['NORMAL', 'Host ${hostName} was added by ${userName}.'],
  USER_UPDATE_VDS: ['NORMAL', 'Host ${hostName} configuration was updated by ${userName}.'],
  USER_REMOVE_VDS: ['NORMAL', 'Host ${hostName} was removed by ${userName}.'],
  USER_ADD_STORAGE_DOMAIN: ['NORMAL', 'Storage Domain ${storageDomainName} was added by ${userName}.'],
  USER_UPDATE_STORAGE_DOMAIN: ['NORMAL', 'Storage Domain ${storageDomainName} was updated by ${userName}.'],
  USER_REMOVE_STORAGE_DOMAIN: ['NORMAL', 'Storage Domain ${storageDomainName} was removed by ${userName}.'],
  NETWORK_ADD_NETWORK: ['NORMAL', 'Network ${networkName} was added to Data Center ${dataCenterName} by ${userName}.'],
  NETWORK_UPDATE_NETWORK: ['NORMAL', 'Network ${networkName} was updated by ${userName}.'],
  NETWORK_REMOVE_NETWORK: ['NORMAL', 'Network ${networkName} was removed from Data Center ${dataCenterName} by ${userName}.'],
  USER_ADD_VM: ['NORMAL', 'VM ${vmName} was created by ${userName}.'],
  USER_UPDATE_VM: ['NORMAL', 'VM ${vmName} configuration was updated by ${userName}.'],
  USER_REMOVE_VM: ['NORMAL', 'VM ${vmName} was removed by ${userName}.'],
  VDS_DETECTED: ['NORMAL', 'Status of host ${hostName} was set to Up.'],
  VDS_FAILURE: ['ERROR', 'Host ${hostName} is non responsive: ${reason}'],
  VDS_AGENT_TOKEN_ISSUED: ['NORMAL', 'A new agent token for host ${hostName} was issued by ${userName}; the previous one no longer works.'],
  VM_UP: ['NORMAL', 'VM ${vmName} is up on host ${hostName}.'],
  VM_DOWN: ['NORMAL', 'VM ${vmName} is down. ${exitMessage}'],
  VM_DOWN_ERROR: ['ERROR', 'VM ${vmName} is down with error. Exit message: ${exitMessage}'],
  VM_NOT_RESPONDING: ['WARNING', 'VM ${vmName} is not responding.'],
  VM_SET_TO_UNKNOWN_STATUS: ['WARNING', 'VM ${vmName} was set to the Unknown status because host ${hostName} is not responding.'],
  VM_MIGRATED_BY_HOST: ['NORMAL', 'VM ${vmName} is now running on host ${hostName}.'],
  VM_EXTERNAL_DISCOVERED: ['WARNING', 'VM ${vmName} was found running on host ${hostName} without the engine starting it; it was added as an external VM.'],
  USER_VDC_LOGIN: ['NORMAL', 'User ${userName} logged in.'],
  USER_VDC_LOGIN_FAILED: ['WARNING', 'User ${loginName} failed to log in: ${reason}'],
  USER_VDC_LOGOUT: ['NORMAL', 'User ${userName} logged out.'],
  AD_COMPUTED_USER_ADDED: ['NORMAL', 'User ${targetName} was added by ${userName}.'],
  USER_UPDATED: ['NORMAL', 'User ${targetName} was updated by ${userName}.'],
  USER_REMOVED: ['NORMAL', 'User ${targetName} was removed by ${userName}.'],
  GROUP_ADDED: ['NORMAL', 'Group ${groupName} was added by ${userName}.'],
  ROLE_ADDED: ['NORMAL', 'Role ${roleName} was added by ${userName}.'],
  ROLE_REMOVED: ['NORMAL', 'Role ${roleName} was removed by ${userName}.'],
  USER_ADD_PERMISSION: ['NORMAL', 'User/Group ${principal} was granted permission for Role ${roleName} on ${objectType} ${objectName}, by ${userName}.'],
  USER_REMOVE_PERMISSION: ['NORMAL', 'User/Group ${principal} Role ${roleName} permission was removed from ${objectType} ${objectName} by ${userName}.'],
  USER_ACTION_REFUSED: ['WARNING', '${userName} could not ${action}: ${reason}'],
  USER_ACTION_FAILED: ['ERROR', 'Failed to ${action} (requested by ${userName}): ${reason}'],
  IMPORTEXPORT_IMPORT_VM: ['NORMAL', 'VM ${vmName} was imported from an ${source} by ${userName} (${warningCount} warnings).'],
  IMPORTEXPORT_EXPORT_VM: ['NORMAL', '${objectType} ${vmName} was exported as an OVA by ${userName}.'],
} as const satisfies Record<string, readonly [AuditSeverity, string]>;

export type AuditCode = keyof typeof auditLogTypes;

/** Fills a template's `${name}` placeholders; an unknown name is left visible rather than dropped. */
export function renderMessage(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
