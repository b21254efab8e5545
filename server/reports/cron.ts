// A schedule's cron expression (croner): five fields, or six with seconds first, in UTC.
import { Cron } from 'croner';

/** The next time after `after`; throws with croner's reason when the expression is not valid. */
export function nextRun(cron: string, after: Date): Date {
  const next = new Cron(cron, { timezone: 'UTC', paused: true }).nextRun(after);
  if (!next) throw new Error('it never runs');
  return next;
}

/** Why the expression cannot be a schedule, or null. */
export function cronProblem(cron: string): string | null {
  try {
    nextRun(cron, new Date());
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
