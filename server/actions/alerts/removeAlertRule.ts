import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';

export const removeAlertRule = defineAction({
  type: 'RemoveAlertRule',
  title: 'remove Alert Rule',
  actionGroup: 'CONFIGURE_ENGINE',
  subject: () => SYSTEM,
  params: z.object({ ruleId: nodeId('AlertRule', 'id') }),
  locks: (p) => [lockKey('AlertRule', p.ruleId)],
  async validate({ tx }, p) {
    found(await tx.alertRule.findUnique({ where: { id: p.ruleId } }), 'AlertRule', p.ruleId);
    return [];
  },
  async execute({ tx, publish }, p) {
    const rule = await tx.alertRule.delete({ where: { id: p.ruleId } });
    publish('alertRule:changed', { id: rule.id, kind: 'removed' });
    return rule;
  },
  audit: (r) => ({ code: 'USER_REMOVE_ALERT_RULE', vars: { ruleName: r.name } }),
  api: {
    mutation: 'removeAlertRule',
    description: 'Remove an alert rule and its alerts.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'AlertRule', id: r.id }),
  },
});
