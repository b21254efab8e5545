// Firing and resolving an alert: its row and its event in one transaction, published after commit.
import type { Db } from '../db.ts';
import type { PubSub } from '../pubsub.ts';
import type { AuditObjects } from '../audit/auditLog.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { Prisma } from '../../generated/prisma/client.ts';

export interface Firing {
  ruleId: string;
  ruleName: string;
  objectName: string;
  objects: AuditObjects;
  value: number | null;
  /** What held: "CPU % 95.0 above 90 for 60 s". */
  condition: string;
  firedAt: Date;
  /** Event rules: the event it fired on; the alert is resolved at once. */
  sourceEventId?: string;
}

/** What a firing or a resolution said, for its notifications. */
export interface AlertNews {
  alertId: string;
  ruleName: string;
  message: string;
}

/** The new alert, or null when another engine already fired this rule on this event. */
export async function fireAlert(db: Db, pubsub: PubSub, f: Firing): Promise<AlertNews | null> {
  let done: { id: string; auditId: string; message: string };
  try {
    done = await db.$transaction(async (tx) => {
      const message = `Alert ${f.ruleName} fired for ${f.objectName}: ${f.condition}.`;
      const alert = await tx.alert.create({
        data: {
          ruleId: f.ruleId,
          objectName: f.objectName,
          value: f.value,
          message,
          firedAt: f.firedAt,
          sourceEventId: f.sourceEventId ?? null,
          resolvedAt: f.sourceEventId ? f.firedAt : null,
          ...f.objects,
        },
        select: { id: true },
      });
      const auditId = await writeAuditLog(tx, {
        code: 'ALERT_FIRED',
        vars: { ruleName: f.ruleName, objectName: f.objectName, condition: f.condition },
        objects: f.objects,
        userName: 'SYSTEM',
      });
      return { id: alert.id, auditId, message };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return null;
    throw e;
  }
  pubsub.publish('alert:changed', { id: done.id, kind: 'created' });
  pubsub.publish('audit:created', { id: done.auditId });
  return { alertId: done.id, ruleName: f.ruleName, message: done.message };
}

/** Resolves an open alert; null when it was resolved already (or its rule removed). */
export async function resolveAlert(db: Db, pubsub: PubSub, alertId: string, at: Date): Promise<AlertNews | null> {
  const done = await db.$transaction(async (tx) => {
    const n = await tx.alert.updateMany({ where: { id: alertId, resolvedAt: null }, data: { resolvedAt: at } });
    if (!n.count) return null;
    const a = await tx.alert.findUniqueOrThrow({ where: { id: alertId }, include: { rule: { select: { name: true } } } });
    const objects = {
      dataCenterId: a.dataCenterId,
      clusterId: a.clusterId,
      hostId: a.hostId,
      vmId: a.vmId,
      storageDomainId: a.storageDomainId,
    };
    const auditId = await writeAuditLog(tx, {
      code: 'ALERT_RESOLVED',
      vars: { ruleName: a.rule.name, objectName: a.objectName },
      objects,
      userName: 'SYSTEM',
    });
    return { auditId, ruleName: a.rule.name, message: `Alert ${a.rule.name} for ${a.objectName} is resolved.` };
  });
  if (!done) return null;
  pubsub.publish('alert:changed', { id: alertId, kind: 'updated' });
  pubsub.publish('audit:created', { id: done.auditId });
  return { alertId, ruleName: done.ruleName, message: done.message };
}
