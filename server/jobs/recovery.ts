// At engine start: actions the previous engine process died in the middle of. Those that had
// marked a change and not finished their part are undone from their snapshots (nothing stays
// WaitForLaunch, ImageLocked or PreparingForMaintenance because of a dead action); jobs that
// were only waiting for monitoring to see an outcome end as UNKNOWN (monitoring has the truth).
import type { Engine } from '../engine.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { endJob, publishRestored, restoreSnapshots } from './jobs.ts';

export async function recoverInterruptedJobs(engine: Engine): Promise<{ undone: number; abandoned: number }> {
  const open = await engine.db.job.findMany({ where: { status: 'STARTED' }, include: { _count: { select: { compensation: true } } } });
  let undone = 0;
  for (const job of open) {
    const hasSnapshots = job._count.compensation > 0;
    const { restored, auditId } = await engine.db.$transaction(async (tx) => {
      const restored = hasSnapshots ? await restoreSnapshots(tx, job.id) : [];
      await endJob(tx, job.id, hasSnapshots ? 'FAILED' : 'UNKNOWN', hasSnapshots ? 'interrupted by an engine restart; undone' : 'the engine restarted while waiting for the outcome');
      const auditId = await writeAuditLog(tx, {
        code: 'JOB_INTERRUPTED_BY_RESTART',
        vars: { action: job.description, restored: hasSnapshots ? `what it had changed was restored (${restored.length} object${restored.length === 1 ? '' : 's'}).` : 'its outcome is left to monitoring.' },
        objects: { vmId: job.vmId, hostId: job.hostId },
        userName: 'SYSTEM',
        correlationId: job.correlationId,
      });
      return { restored, auditId };
    });
    if (hasSnapshots) undone++;
    publishRestored(engine.pubsub, restored);
    engine.pubsub.publish('audit:created', { id: auditId });
    engine.pubsub.publish('job:progress', { id: job.id, progress: null });
  }
  return { undone, abandoned: open.length - undone };
}
