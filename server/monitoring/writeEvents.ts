import { randomUUID } from 'node:crypto';
import type { Tx } from '../db.ts';
import { auditLogTypes, renderMessage } from '../audit/auditLogTypes.ts';
import type { MonitoringEvent } from './events.ts';

/** Writes the analyzers' events in one statement; returns their ids for publishing. */
export async function writeEvents(tx: Tx, events: MonitoringEvent[], now: Date): Promise<string[]> {
  if (!events.length) return [];
  const rows = events.map((e) => {
    const [severity, template] = auditLogTypes[e.code];
    return {
      id: randomUUID(),
      code: e.code,
      severity,
      message: renderMessage(template, { userName: 'SYSTEM', ...e.vars }).trim(),
      userName: 'SYSTEM',
      createdAt: now,
      ...e.objects,
    };
  });
  await tx.auditLog.createMany({ data: rows });
  return rows.map((r) => r.id);
}
