import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';

export const removeReportSchedule = defineAction({
  type: 'RemoveReportSchedule',
  title: 'remove Report Schedule',
  actionGroup: 'CONFIGURE_ENGINE',
  subject: () => SYSTEM,
  params: z.object({ scheduleId: nodeId('ReportSchedule', 'id') }),
  locks: (p) => [lockKey('ReportSchedule', p.scheduleId)],
  async validate({ tx }, p) {
    found(await tx.reportSchedule.findUnique({ where: { id: p.scheduleId } }), 'Report Schedule', p.scheduleId);
    return [];
  },
  execute: ({ tx }, p) => tx.reportSchedule.delete({ where: { id: p.scheduleId } }),
  audit: (s) => ({ code: 'USER_REMOVE_REPORT_SCHEDULE', vars: { scheduleName: s.name } }),
  api: {
    mutation: 'removeReportSchedule',
    description: 'Remove a report schedule and the runs it kept.',
    payload: { field: 'removed', type: 'Removed' },
    result: (s) => ({ typename: 'ReportSchedule', id: s.id }),
  },
});
