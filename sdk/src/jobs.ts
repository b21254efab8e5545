// Following a job (runVm, migrateVm, maintenanceHost…) to its end through jobProgress.
import type { JobProgressSubscription, operations } from './generated/sdk.ts';
import { JobFailedError } from './errors.ts';

export type Job = JobProgressSubscription['jobProgress'];

export interface JobHandle {
  id: string;
  /**
   * Resolves with the job once FINISHED; rejects with JobFailedError when it ends FAILED or
   * ABORTED. `onProgress` gets each state on the way (status, steps and their progress).
   */
  done(options?: { onProgress?: (job: Job) => void }): Promise<Job>;
}

/** The progress of a job from 0 to 100: finished steps count whole, a running one by its progress. */
export function jobPercent(job: Job): number {
  if (job.status !== 'STARTED') return 100;
  if (!job.steps.length) return 0;
  const each = job.steps.map((s) => (s.status === 'STARTED' ? (s.progress ?? 0) / 100 : s.status === 'FINISHED' ? 1 : 0));
  return Math.round((100 * each.reduce((a, b) => a + b, 0)) / job.steps.length);
}

export function jobHandle(ops: ReturnType<typeof operations>, id: string): JobHandle {
  return {
    id,
    async done(options = {}) {
      const stream = ops.subscription.jobProgress({ jobId: id });
      try {
        for await (const job of stream) {
          options.onProgress?.(job);
          if (job.status === 'FINISHED') return job;
          if (job.status !== 'STARTED') throw new JobFailedError(job);
        }
      } finally {
        await stream.return?.();
      }
      throw new Error(`The progress of job ${id} ended before the job did.`);
    },
  };
}
