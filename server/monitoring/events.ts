import type { AuditCode } from '../audit/auditLogTypes.ts';
import type { AuditObjects } from '../audit/auditLog.ts';

/** An event an analyzer decided on; apply() writes it with the changes it belongs to. */
export interface MonitoringEvent {
  code: AuditCode;
  vars: Record<string, string | number>;
  objects: AuditObjects;
}
