// What addReportSchedule and importReportSchedules take of one schedule, and its checks.
import { z } from 'zod';
import { objectName } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';
import { cronProblem } from '../../reports/cron.ts';
import { REPORT_KINDS } from '../../reports/report.ts';
import { ReportFormat } from '../../../generated/prisma/enums.ts';

export const reportScheduleSettings = {
  name: objectName,
  kind: z.enum(REPORT_KINDS as [string, ...string[]]).meta({ graphql: 'ReportKind' }),
  windowHours: z.number().int().min(1, 'is at least 1').max(87_840, 'is at most 10 years').describe('Each run covers the hours before it.'),
  top: z.number().int().min(1, 'is at least 1').max(1000, 'is at most 1000').nullable().optional(),
  format: z.enum(ReportFormat).meta({ graphql: 'ReportFormat' }),
  cron: z
    .string()
    .min(1)
    .max(128)
    .describe('When it runs, in UTC: five cron fields (minute hour day month weekday), or six with seconds first.'),
  emailTo: z
    .array(z.email('must be an e-mail address'))
    .max(20, 'at most 20 addresses')
    .describe('Mailed each run, the report attached (VIREO_SMTP_URL).'),
};

export function scheduleReasons(s: { cron: string }): (Reason | null)[] {
  const problem = cronProblem(s.cron);
  return [refuseWhen(problem !== null, 'REPORT_SCHEDULE_BAD_CRON', `"${s.cron}" is not a schedule: ${problem}.`)];
}
