// An engine that died during a live disk move (moveDisk with its VM Up: the SPM copied the chain,
// the VM's host mirrors and pivots) leaves the host to finish on its own. At the next start the
// move's Job (its disk, target domain and VM recorded) waits for the VM's host to report, then asks
// it which image each of the VM's disks runs from (agent command diskSources), waiting while a
// block copy still mirrors. Running from the target: the move is recorded as moveDisk records it
// (movedDisk.ts), the source image removed, the Job FINISHED. Running from the source: the copy on
// the target is removed and the Job FAILED. No answer: the Job is left UNKNOWN and the rows stay
// where they were (the orphan sweep keeps the target's copy while the VM runs); the rows are never
// pointed at a domain the host does not say the VM runs from.
import type { Job } from '../../generated/prisma/client.ts';
import type { Engine } from '../engine.ts';
import type { HostTarget } from '../agents/hostBroker.ts';
import { recordDiskMove, removeMovedSource } from '../actions/disk/movedDisk.ts';
import { removeVolumes } from '../storage/hostVolumes.ts';
import { endInterrupted, hostReported } from './restartOutcome.ts';

export interface LiveMove {
  diskId: string;
  targetId: string;
  vmId: string;
  hostId: string;
}

/** The live move a Job was: a MoveDisk whose disk's VM is on a host (an offline move's VMs are Down). */
export async function liveMoveOf(engine: Engine, job: Job): Promise<LiveMove | null> {
  if (job.actionType !== 'MoveDisk' || !job.diskId || !job.storageDomainId || !job.vmId) return null;
  const vm = await engine.db.vm.findUnique({ where: { id: job.vmId }, select: { status: true, hostId: true } });
  if (!vm?.hostId || vm.status === 'DOWN' || vm.status === 'IMAGE_LOCKED') return null;
  return { diskId: job.diskId, targetId: job.storageDomainId, vmId: job.vmId, hostId: vm.hostId };
}

/** How often the host is asked again while its block copy still mirrors. */
const MIRROR_POLL_MS = 1000;

/** The domain the host says the VM runs the disk from once no copy of it mirrors; null if it does not say (in time). */
async function runningDomain(engine: Engine, host: HostTarget, move: LiveMove, deadline: number): Promise<string | null> {
  for (;;) {
    try {
      const disk = (await engine.hosts.diskSources(host, move.vmId)).find((d) => d.diskId === move.diskId);
      if (!disk) return null;
      if (!disk.copying) return disk.domainId;
    } catch (e) {
      console.error(`host ${host.name} did not say where VM ${move.vmId} runs its disk ${move.diskId} from:`, e);
      return null;
    }
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, MIRROR_POLL_MS));
  }
}

/** Completes, undoes or abandons the interrupted live move by where the VM's disk runs from. */
export async function decideLiveMove(engine: Engine, job: Job, move: LiveMove, since: Date, waitMs: number) {
  const deadline = Date.now() + waitMs;
  const host = await engine.db.host.findUnique({ where: { id: move.hostId }, select: { id: true, name: true } });
  const disk = await engine.db.disk.findUnique({ where: { id: move.diskId }, include: { storageDomain: true } });
  const target = await engine.db.storageDomain.findUnique({ where: { id: move.targetId } });
  const runsFrom =
    host && disk && target && (await hostReported(engine, host.id, since, waitMs))
      ? await runningDomain(engine, host, move, deadline)
      : null;
  if (!host || !disk || !target || !runsFrom || (runsFrom !== target.id && runsFrom !== disk.storageDomainId)) {
    await endInterrupted(engine, job, 'abandon');
    return 'abandoned' as const;
  }
  if (runsFrom === target.id) {
    let source: { id: string; path: string; dataCenterId: string | null } | null = null;
    await endInterrupted(engine, job, {
      status: 'FINISHED',
      step: `done: host ${host.name} runs the disk from Storage Domain ${target.name} after the engine restart`,
      what: `host ${host.name} runs Disk ${disk.alias} from Storage Domain ${target.name}, so the move was completed.`,
      record: async (tx) => {
        source = (await recordDiskMove(tx, disk.id, target.id)).source;
      },
    });
    const moved = source as { id: string; path: string; dataCenterId: string | null } | null;
    if (moved) {
      engine.pubsub.publish('storageDomain:changed', { id: moved.id, kind: 'updated' });
      engine.pubsub.publish('storageDomain:changed', { id: target.id, kind: 'updated' });
      await removeMovedSource(engine, moved, disk.id).catch((e) => console.error(`the source image of Disk ${disk.alias} stays:`, e));
    }
    return 'kept' as const;
  }
  await endInterrupted(engine, job, {
    status: 'FAILED',
    step: 'interrupted by an engine restart; the VM runs from the source, the copy was removed',
    what: `host ${host.name} runs Disk ${disk.alias} from Storage Domain ${disk.storageDomain.name}, so the copy on Storage Domain ${target.name} was removed.`,
  });
  await removeVolumes(engine, target.dataCenterId!, [{ domain: target, diskId: disk.id }]).catch((e) =>
    console.error(`the copy of Disk ${disk.alias} on Storage Domain ${target.name} stays:`, e),
  );
  return 'undone' as const;
}
