// `--wait`: follows an action's job to its end with a progress bar (on stderr, when it is a terminal).
import { SingleBar, Presets } from 'cli-progress';
import { JobFailedError, jobPercent, type Job, type VireoClient } from '@vireo/sdk';

/** Waits for the job; resolves with its last state (FINISHED, FAILED or ABORTED). */
export async function followJob(client: VireoClient, jobId: string, quiet: boolean): Promise<Job> {
  const bar = quiet
    ? null
    : new SingleBar(
        { format: '{bar} {percentage}% | {status} {description}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
        Presets.shades_classic,
      );
  bar?.start(100, 0, { status: 'STARTED', description: '' });
  try {
    return await client
      .job(jobId)
      .done({ onProgress: (j) => bar?.update(jobPercent(j), { status: j.status, description: j.description }) });
  } catch (e) {
    if (e instanceof JobFailedError) return e.job as Job;
    throw e;
  } finally {
    bar?.stop();
  }
}

/** The job an action's result holds (`result.job`, `job`…), found anywhere in the payload. */
export function jobIn(value: unknown): { id: string } | null {
  if (!value || typeof value !== 'object') return null;
  const o = value as Record<string, unknown>;
  if (o.__typename === 'Job' && typeof o.id === 'string') return { id: o.id };
  for (const v of Object.values(o)) {
    const found = jobIn(v);
    if (found) return found;
  }
  return null;
}
