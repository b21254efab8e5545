// Job and Step rows for long actions (oVirt's ExecutionHandler), and the compensation snapshots
// that let a failed or interrupted action put the database back as it was.
import type { JobStatus } from '../../generated/prisma/enums.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import type { Restorable } from '../actions/defineAction.ts';
import type { Tx } from '../db.ts';
import type { PubSub } from '../pubsub.ts';

export interface NewJob {
  actionType: string;
  description: string;
  userName: string;
  correlationId: string;
  vmId?: string | null;
  hostId?: string | null;
  /** A disk's move or copy: the disk and the domain it goes to. */
  diskId?: string | null;
  storageDomainId?: string | null;
  /** The engine process running it (its EngineInstance id). */
  engineId?: string;
  /** The first step's description (default: the job's). */
  step?: string;
}

export async function createJob(tx: Tx, job: NewJob): Promise<string> {
  const { step, ...data } = job;
  const row = await tx.job.create({
    data: { ...data, steps: { create: [{ stepType: 'EXECUTING', description: step ?? job.description, number: 0, progress: 0 }] } },
    select: { id: true },
  });
  return row.id;
}

/**
 * Records fields of an entity as they are before the action changes them (oVirt's
 * snapshotEntityStatus), in the action's transaction: if it fails, or the engine dies before it
 * is done, restoreSnapshots() puts them back.
 */
export async function snapshotEntity(tx: Tx, jobId: string, entityType: Restorable, entityId: string, before: Record<string, unknown>) {
  await tx.compensationSnapshot.create({ data: { jobId, entityType, entityId, before: before as Prisma.InputJsonValue } });
}

/** Puts back every snapshot of a job, newest first, and drops them. Returns the restored entities. */
export async function restoreSnapshots(tx: Tx, jobId: string): Promise<{ entityType: string; entityId: string }[]> {
  const rows = await tx.compensationSnapshot.findMany({ where: { jobId }, orderBy: { createdAt: 'desc' } });
  for (const r of rows) {
    const data = r.before as Record<string, unknown>;
    if (r.entityType === 'Vm') await tx.vm.updateMany({ where: { id: r.entityId }, data });
    else if (r.entityType === 'Host') await tx.host.updateMany({ where: { id: r.entityId }, data });
  }
  await tx.compensationSnapshot.deleteMany({ where: { jobId } });
  return rows.map((r) => ({ entityType: r.entityType, entityId: r.entityId }));
}

/** Tells subscribers that restored entities changed. */
export function publishRestored(pubsub: PubSub, restored: { entityType: string; entityId: string }[]) {
  for (const r of restored) pubsub.publish(r.entityType === 'Vm' ? 'vm:changed' : 'host:changed', { id: r.entityId, kind: 'updated' });
}

/** The action is past the point of no return: nothing to undo any more. */
export async function dropSnapshots(tx: Tx, jobId: string) {
  await tx.compensationSnapshot.deleteMany({ where: { jobId } });
}

export async function endJob(db: Db | Tx, jobId: string, status: Exclude<JobStatus, 'STARTED'>, stepDescription?: string) {
  const endedAt = new Date();
  await db.step.updateMany({
    where: { jobId, status: 'STARTED' },
    data: {
      status,
      endedAt,
      ...(status === 'FINISHED' ? { progress: 100 } : {}),
      ...(stepDescription ? { description: stepDescription } : {}),
    },
  });
  await db.job.update({ where: { id: jobId }, data: { status, endedAt } });
}

export async function setProgress(db: Db, pubsub: PubSub, jobId: string, progress: number) {
  await db.step.updateMany({ where: { jobId, status: 'STARTED' }, data: { progress } });
  await db.job.update({ where: { id: jobId }, data: { updatedAt: new Date() } });
  pubsub.publish('job:progress', { id: jobId, progress });
}
