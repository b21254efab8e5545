// How a job an engine died in the middle of ends at the next start (recovery.ts): undone from its
// snapshots, abandoned to monitoring, kept as its host reports it, or decided otherwise (a live
// disk move: liveMoveRecovery.ts), each with a JOB_INTERRUPTED_BY_RESTART event; and the wait for
// a host's first report after the restart, which such decisions need.
import type { Job } from '../../generated/prisma/client.ts';
import type { Tx } from '../db.ts';
import type { Engine } from '../engine.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { dropSnapshots, endJob, publishRestored, restoreSnapshots } from './jobs.ts';

/** An outcome decided from what a host says: the Job's status, its step's words, the event's, and rows to write with it. */
export interface Decided {
  status: 'FINISHED' | 'FAILED';
  step: string;
  what: string;
  record?(tx: Tx): Promise<void>;
}

/** Whether the host reported (its samples, not a hello) after `since`, within `waitMs`; a removed host counts as reported. */
export async function hostReported(engine: Engine, hostId: string, since: Date, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    // A report's samples (a hello sends none: it says nothing of the VMs): in this engine's memory when
    // the report came here, else in the database, written within a flush by the engine that got it.
    const host = await engine.db.host.findUnique({ where: { id: hostId }, select: { statistics: { select: { sampledAt: true } } } });
    const sample = engine.monitoring.live.host(hostId) ?? host?.statistics;
    if (!host || (!!sample && sample.sampledAt > since)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function endInterrupted(engine: Engine, job: Job, how: 'undo' | 'abandon' | { kept: string } | Decided) {
  const { restored, auditId } = await engine.db.$transaction(async (tx) => {
    let restored: { entityType: string; entityId: string }[] = [];
    let what: string;
    if (how === 'undo') {
      restored = await restoreSnapshots(tx, job.id);
      await endJob(tx, job.id, 'FAILED', 'interrupted by an engine restart; undone');
      what = `what it had changed was restored (${restored.length} object${restored.length === 1 ? '' : 's'}).`;
    } else if (how === 'abandon') {
      await dropSnapshots(tx, job.id);
      await endJob(tx, job.id, 'UNKNOWN', 'the engine restarted while waiting for the outcome');
      what = 'its outcome is left to monitoring.';
    } else if ('kept' in how) {
      await dropSnapshots(tx, job.id);
      await endJob(tx, job.id, 'FINISHED', `done: host ${how.kept} reports the VM after the engine restart`);
      what = `host ${how.kept} reports the VM, so it was kept.`;
    } else {
      await how.record?.(tx);
      if (how.status === 'FAILED') restored = await restoreSnapshots(tx, job.id);
      else await dropSnapshots(tx, job.id);
      await endJob(tx, job.id, how.status, how.step);
      what = how.what;
    }
    const auditId = await writeAuditLog(tx, {
      code: 'JOB_INTERRUPTED_BY_RESTART',
      vars: { action: job.description, restored: what },
      objects: { vmId: job.vmId, hostId: job.hostId },
      userName: 'SYSTEM',
      correlationId: job.correlationId,
    });
    return { restored, auditId };
  });
  publishRestored(engine.pubsub, restored);
  engine.pubsub.publish('audit:created', { id: auditId });
  engine.pubsub.publish('job:progress', { id: job.id, progress: null });
}
