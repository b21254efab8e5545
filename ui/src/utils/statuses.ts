import { i18n } from '../i18n';
import type { HostStatus, VmStatus, DataCenterStatus, StorageDomainStatus, EventSeverity } from '../gql/graphql';

export const VM_STATUSES: VmStatus[] = [
  'UP',
  'DOWN',
  'POWERING_UP',
  'POWERING_DOWN',
  'PAUSED',
  'SUSPENDED',
  'MIGRATING_FROM',
  'MIGRATING_TO',
  'NOT_RESPONDING',
  'UNKNOWN',
  'WAIT_FOR_LAUNCH',
  'REBOOT_IN_PROGRESS',
  'SAVING_STATE',
  'RESTORING_STATE',
  'IMAGE_LOCKED',
  'IMAGE_ILLEGAL',
];
export const HOST_STATUSES: HostStatus[] = [
  'UP',
  'MAINTENANCE',
  'PREPARING_FOR_MAINTENANCE',
  'NON_RESPONSIVE',
  'NON_OPERATIONAL',
  'DOWN',
  'ERROR',
  'CONNECTING',
  'INITIALIZING',
  'INSTALLING',
  'INSTALL_FAILED',
  'REBOOT',
  'UNASSIGNED',
];
export const DATA_CENTER_STATUSES: DataCenterStatus[] = [
  'UP',
  'UNINITIALIZED',
  'MAINTENANCE',
  'NOT_OPERATIONAL',
  'NON_RESPONSIVE',
  'CONTEND',
];
export const STORAGE_STATUSES: StorageDomainStatus[] = ['ACTIVE', 'INACTIVE', 'UNATTACHED', 'MAINTENANCE', 'LOCKED', 'UNKNOWN'];
export const SEVERITIES: EventSeverity[] = ['NORMAL', 'WARNING', 'ERROR', 'ALERT'];

/**
 * An enum value as a word, as badges and filters show it: the language's word (`status.POWERING_UP`
 * in the locale files), or in English the value itself: 'POWERING_UP' → 'Powering up'.
 */
export function statusLabel(status: string): string {
  const key = `status.${status}`;
  return i18n.global.te(key) ? i18n.global.t(key) : status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');
}
