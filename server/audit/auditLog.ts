import type { Prisma } from '../../generated/prisma/client.ts';
import { auditLogTypes, renderMessage, type AuditCode } from './auditLogTypes.ts';

/** The objects an event is about; they make it findable from each object's event list. */
export interface AuditObjects {
  dataCenterId?: string | null;
  clusterId?: string | null;
  hostId?: string | null;
  vmId?: string | null;
  storageDomainId?: string | null;
  templateId?: string | null;
}

export interface AuditEntry {
  code: AuditCode;
  vars: Record<string, string | number>;
  objects?: AuditObjects;
  userName: string;
  correlationId?: string;
}

type Writer = Pick<Prisma.TransactionClient, 'auditLog'>;

/** Writes one event (in the caller's transaction when given one) and returns its id. */
export async function writeAuditLog(db: Writer, entry: AuditEntry): Promise<string> {
  const [severity, template] = auditLogTypes[entry.code];
  const row = await db.auditLog.create({
    data: {
      code: entry.code,
      severity,
      message: renderMessage(template, { userName: entry.userName, ...entry.vars }),
      userName: entry.userName,
      correlationId: entry.correlationId ?? '',
      ...entry.objects,
    },
    select: { id: true },
  });
  return row.id;
}
