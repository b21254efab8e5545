import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { objectName } from '../../validators/params.ts';
import { nameFree } from '../../validators/reasons.ts';
import { alertRuleKind, alertRuleSettings, ruleReasons } from './alertRuleSettings.ts';

export const addAlertRule = defineAction({
  type: 'AddAlertRule',
  title: 'add Alert Rule',
  actionGroup: 'CONFIGURE_ENGINE',
  subject: () => SYSTEM,
  params: z.object({ name: objectName, kind: alertRuleKind, ...alertRuleSettings }),
  locks: (p) => [lockKey('AlertRuleName', p.name)],
  async validate({ tx }, p) {
    const taken = await tx.alertRule.count({ where: { name: p.name } });
    return [nameFree(taken > 0, 'Alert Rule', p.name), ...ruleReasons(p)];
  },
  async execute({ tx, publish }, p) {
    const rule = await tx.alertRule.create({ data: p });
    publish('alertRule:changed', { id: rule.id, kind: 'created' });
    return rule;
  },
  audit: (r) => ({ code: 'USER_ADD_ALERT_RULE', vars: { ruleName: r.name } }),
  api: {
    mutation: 'addAlertRule',
    description:
      'Add an alert rule: a figure held past a threshold, a status, or an event code. Firing and resolving are events, streamed by the `alerts` subscription.',
    payload: { field: 'alertRule', type: 'AlertRule' },
  },
});
