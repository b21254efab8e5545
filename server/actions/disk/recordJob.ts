import type { Tx } from '../../db.ts';

/**
 * Records a long action as a Job with one Step per stage (oVirt's Job/Step), written in the
 * action's transaction: it appears, finished, when the action commits. Returns the job id.
 */
export async function recordJob(tx: Tx, userName: string, actionType: string, description: string, steps: string[]): Promise<string> {
  const endedAt = new Date();
  const job = await tx.job.create({ data: { actionType, description, userName, status: 'FINISHED', endedAt } });
  if (steps.length) {
    await tx.step.createMany({
      data: steps.map((d, i) => ({
        jobId: job.id,
        stepType: 'EXECUTING',
        description: d,
        status: 'FINISHED' as const,
        progress: 100,
        number: i,
        endedAt,
      })),
    });
  }
  return job.id;
}
