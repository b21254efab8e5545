// A job's progress as one number: the mean of its steps, a finished step counting as 100.
export interface JobLike {
  status: string;
  steps: { status: string; progress?: number | null }[];
}

export function jobPercent(job: JobLike | undefined): number | undefined {
  if (!job) return undefined;
  if (job.status === 'FINISHED') return 100;
  if (!job.steps.length) return undefined;
  return Math.round(job.steps.reduce((a, s) => a + (s.status === 'FINISHED' ? 100 : (s.progress ?? 0)), 0) / job.steps.length);
}
