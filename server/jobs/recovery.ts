// At engine start: actions the previous engine process died in the middle of. Those that had
// marked a change and not finished their part are undone from their snapshots (nothing stays
// WaitForLaunch, ImageLocked or PreparingForMaintenance because of a dead action); jobs that
// were only waiting for monitoring to see an outcome end as UNKNOWN (monitoring has the truth).
// A VM the action had placed on a host is decided by that host's next report: a host that runs
// it keeps it (the job finished), one that does not have it gets it undone. A host that does not
// report within the wait leaves the VM to monitoring (Unknown until the host is back), never undone blind.
// A live disk move is decided the same way by where the VM's disk runs from (liveMoveRecovery.ts).
import type { Job } from '../../generated/prisma/client.ts';
import type { Engine } from '../engine.ts';
import { endInterrupted, hostReported } from './restartOutcome.ts';
import { decideLiveMove, liveMoveOf } from './liveMoveRecovery.ts';

export interface Recovery {
  undone: number;
  abandoned: number;
  /** Jobs that placed a VM on a host: decided once that host reports (see `settled`). */
  waiting: number;
  /**
   * Resolves when the waiting jobs are decided: how many VMs their hosts run (kept; a live disk move
   * whose VM runs from the target: finished), how many were undone.
   */
  settled: Promise<{ kept: number; undone: number; abandoned: number }>;
}

export interface RecoveryOptions {
  /** How long to wait for a host's first report (default 5 minutes). */
  waitMs?: number;
  /** Engines alive (server/cluster/engineInstances.ts): their jobs are theirs to finish, not recovered. */
  liveEngines?: string[];
  /** Jobs already being recovered (their host's report awaited): left alone; each job handled is added while it is. */
  skip?: Set<string>;
}

export async function recoverInterruptedJobs(engine: Engine, opts: RecoveryOptions = {}): Promise<Recovery> {
  const since = new Date();
  const waitMs = opts.waitMs ?? 300_000;
  const skip = opts.skip ?? new Set<string>();
  const live = opts.liveEngines ?? [];
  const open = await engine.db.job.findMany({
    where: {
      status: 'STARTED',
      id: { notIn: [...skip] },
      ...(live.length ? { OR: [{ engineId: null }, { engineId: { notIn: live } }] } : {}),
    },
    include: { _count: { select: { compensation: true } } },
  });
  for (const job of open) skip.add(job.id);
  let undone = 0;
  const waits: Promise<'kept' | 'undone' | 'abandoned'>[] = [];
  for (const job of open) {
    const move = await liveMoveOf(engine, job);
    if (move) {
      waits.push(decideLiveMove(engine, job, move, since, waitMs).finally(() => skip.delete(job.id)));
      continue;
    }
    const hasSnapshots = job._count.compensation > 0;
    const placed = hasSnapshots ? await placedVm(engine, job.id) : null;
    if (placed) {
      waits.push(decideAfterReport(engine, job, placed, since, waitMs).finally(() => skip.delete(job.id)));
      continue;
    }
    await endInterrupted(engine, job, hasSnapshots ? 'undo' : 'abandon').finally(() => skip.delete(job.id));
    if (hasSnapshots) undone++;
  }
  const settled = Promise.all(waits).then((ends) => ({
    kept: ends.filter((e) => e === 'kept').length,
    undone: ends.filter((e) => e === 'undone').length,
    abandoned: ends.filter((e) => e === 'abandoned').length,
  }));
  return { undone, abandoned: open.length - undone - waits.length, waiting: waits.length, settled };
}

/** The VM (and host) the job placed: a VM snapshot whose VM is now on a host it was not on before. */
async function placedVm(engine: Engine, jobId: string): Promise<{ vmId: string; hostId: string } | null> {
  const snapshots = await engine.db.compensationSnapshot.findMany({ where: { jobId, entityType: 'Vm' } });
  for (const s of snapshots) {
    const before = s.before as { hostId?: string | null };
    const vm = await engine.db.vm.findUnique({ where: { id: s.entityId }, select: { hostId: true } });
    if (vm?.hostId && vm.hostId !== before.hostId) return { vmId: s.entityId, hostId: vm.hostId };
  }
  return null;
}

/** Waits for a report of the host made after the restart (or the timeout), then keeps or undoes. */
async function decideAfterReport(engine: Engine, job: Job, placed: { vmId: string; hostId: string }, since: Date, waitMs: number) {
  if (!(await hostReported(engine, placed.hostId, since, waitMs))) {
    await endInterrupted(engine, job, 'abandon');
    return 'abandoned' as const;
  }
  // Its state is committed before the report's answer; the samples of the VMs it runs are kept once it is applied.
  await engine.monitoring.queue.idle();
  const vm = await engine.db.vm.findUnique({
    where: { id: placed.vmId },
    select: { status: true, hostId: true, host: { select: { name: true } }, statistics: { select: { sampledAt: true } } },
  });
  const vmSample = engine.monitoring.live.vm(placed.vmId) ?? vm?.statistics;
  const runs = !!vm && vm.hostId === placed.hostId && vm.status !== 'DOWN' && !!vmSample && vmSample.sampledAt > since;
  await endInterrupted(engine, job, runs ? { kept: vm!.host!.name } : 'undo');
  return runs ? ('kept' as const) : ('undone' as const);
}
