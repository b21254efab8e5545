import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { alertRuleKind, alertRuleSettings, ruleReasons } from './alertRuleSettings.ts';

export const updateAlertRule = defineAction({
  type: 'UpdateAlertRule',
  title: 'update Alert Rule',
  actionGroup: 'CONFIGURE_ENGINE',
  subject: () => SYSTEM,
  params: z.object({
    ruleId: nodeId('AlertRule', 'id'),
    name: objectName.optional(),
    kind: alertRuleKind.optional(),
    ...alertRuleSettings,
  }),
  locks: (p) => [lockKey('AlertRule', p.ruleId)],
  async validate({ tx }, { ruleId, ...p }) {
    const rule = found(await tx.alertRule.findUnique({ where: { id: ruleId } }), 'AlertRule', ruleId);
    const taken = p.name ? await tx.alertRule.count({ where: { name: p.name, id: { not: ruleId } } }) : 0;
    const after = { ...rule, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) };
    return [nameFree(taken > 0, 'Alert Rule', p.name ?? ''), ...ruleReasons(after)];
  },
  async execute({ tx, publish }, { ruleId, ...data }) {
    const rule = await tx.alertRule.update({ where: { id: ruleId }, data });
    publish('alertRule:changed', { id: rule.id, kind: 'updated' });
    return rule;
  },
  audit: (r) => ({ code: 'USER_UPDATE_ALERT_RULE', vars: { ruleName: r.name } }),
  api: {
    mutation: 'updateAlertRule',
    description: 'Edit an alert rule; disabling it resolves its open alerts.',
    payload: { field: 'alertRule', type: 'AlertRule' },
  },
});
