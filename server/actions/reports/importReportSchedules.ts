// Report definitions as JSON (the `exportReportSchedules` query's text) made into schedules, all
// of them or none: the cluster by name, each schedule owned by the importer.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { InputError, type Reason } from '../../errors.ts';
import { nextRun } from '../../reports/cron.ts';
import { reportScheduleSettings, scheduleReasons } from './reportScheduleSettings.ts';
import { SYSTEM_OWNER } from '../../reports/systemOwner.ts';

/** One definition as exported: the schedule's settings, its cluster by name. */
export const reportDefinition = z.object({ ...reportScheduleSettings, cluster: z.string().nullable().optional() });
export type ReportDefinition = z.infer<typeof reportDefinition>;

const file = z.object({ version: z.literal(1), reportSchedules: z.array(reportDefinition).min(1).max(200) });

/** The definitions in the text, or BAD_INPUT on `json` saying what is wrong. */
export function parseDefinitions(text: string): ReportDefinition[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError([{ path: 'json', message: `is not JSON: ${(e as Error).message}` }]);
  }
  const parsed = file.safeParse(data);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => ({ path: ['json', ...i.path].join('.'), message: i.message })));
  return parsed.data.reportSchedules;
}

export const importReportSchedules = defineAction({
  type: 'ImportReportSchedules',
  title: 'import Report Schedules',
  actionGroup: 'CONFIGURE_ENGINE',
  subject: () => SYSTEM,
  params: z.object({ json: z.string().max(1_000_000).describe('What exportReportSchedules gave: {"version":1,"reportSchedules":[…]}.') }),
  locks: (p) => parseDefinitions(p.json).map((d) => lockKey('ReportScheduleName', d.name)),
  async validate({ tx }, p) {
    const defs = parseDefinitions(p.json);
    const names = defs.map((d) => d.name);
    const taken = await tx.reportSchedule.findMany({ where: { name: { in: names } }, select: { name: true } });
    const clusterNames = [...new Set(defs.flatMap((d) => (d.cluster ? [d.cluster] : [])))];
    const clusters = await tx.cluster.findMany({ where: { name: { in: clusterNames } }, select: { name: true } });
    const reasons: (Reason | null)[] = [
      refuseWhen(new Set(names).size !== names.length, 'REPORT_SCHEDULE_NAME_REPEATED', 'Two definitions have the same name.'),
      ...taken.map((t) =>
        refuseWhen(true, 'REPORT_SCHEDULE_NAME_ALREADY_USED', `The name ${t.name} is already used by another Report Schedule.`),
      ),
      ...clusterNames
        .filter((n) => !clusters.some((c) => c.name === n))
        .map((n) => refuseWhen(true, 'CLUSTER_NOT_FOUND', `There is no cluster ${n}.`)),
    ];
    return [...reasons, ...defs.flatMap((d) => scheduleReasons(d))];
  },
  async execute({ tx, actor, engine }, p) {
    const made = [];
    for (const { cluster, ...d } of parseDefinitions(p.json)) {
      const clusterId = cluster ? (await tx.cluster.findUniqueOrThrow({ where: { name: cluster } })).id : null;
      made.push(
        await tx.reportSchedule.create({
          data: { ...d, clusterId, ownerId: actor.userId ?? SYSTEM_OWNER, nextRunAt: nextRun(d.cron, engine.now()) },
        }),
      );
    }
    return made;
  },
  audit: (made) => ({ code: 'USER_IMPORT_REPORT_SCHEDULES', vars: { count: made.length, names: made.map((s) => s.name).join(', ') } }),
  api: {
    mutation: 'importReportSchedules',
    description: 'Make report schedules from exported definitions (exportReportSchedules), all or none.',
    payload: { field: 'imported', type: 'ReportScheduleImport' },
    result: (made) => ({ schedules: made }),
  },
});
