import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { nextRun } from '../../reports/cron.ts';
import { SYSTEM_OWNER } from '../../reports/systemOwner.ts';
import { reportScheduleSettings, scheduleReasons } from './reportScheduleSettings.ts';

export const addReportSchedule = defineAction({
  type: 'AddReportSchedule',
  title: 'add Report Schedule',
  actionGroup: 'CONFIGURE_ENGINE',
  subject: () => SYSTEM,
  params: z.object({ ...reportScheduleSettings, clusterId: nodeId('Cluster', 'cluster').nullable().optional() }),
  locks: (p) => [lockKey('ReportScheduleName', p.name)],
  async validate({ tx }, p) {
    if (p.clusterId) found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
    return [nameFree((await tx.reportSchedule.count({ where: { name: p.name } })) > 0, 'Report Schedule', p.name), ...scheduleReasons(p)];
  },
  async execute({ tx, actor, engine }, p) {
    // Runs show what its maker may see; the engine itself (no user) sees everything.
    const schedule = await tx.reportSchedule.create({
      data: { ...p, ownerId: actor.userId ?? SYSTEM_OWNER, nextRunAt: nextRun(p.cron, engine.now()) },
    });
    return schedule;
  },
  audit: (s) => ({ code: 'USER_ADD_REPORT_SCHEDULE', vars: { scheduleName: s.name, cron: s.cron } }),
  api: {
    mutation: 'addReportSchedule',
    description:
      'Schedule a built-in report: made at each time of the cron expression (UTC) over the hours before it, kept for download and mailed, as its maker sees it.',
    payload: { field: 'reportSchedule', type: 'ReportSchedule' },
  },
});
