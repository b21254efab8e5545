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
  USER_ACTION_REFUSED: ['WARNING', '${userName} could not ${action}: ${reason}'],
  USER_ACTION_FAILED: ['ERROR', 'Failed to ${action} (requested by ${userName}): ${reason}'],
} as const satisfies Record<string, readonly [AuditSeverity, string]>;

export type AuditCode = keyof typeof auditLogTypes;

/** Fills a template's `${name}` placeholders; an unknown name is left visible rather than dropped. */
export function renderMessage(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
