// The settings addAlertRule and updateAlertRule share, and the checks of a rule as a whole.
import { z } from 'zod';
import { description } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';
import { FIGURES_OF } from '../../alerts/figures.ts';
import { ALERT_CODES } from '../../alerts/evaluator.ts';
import { auditLogTypes } from '../../audit/auditLogTypes.ts';
import { AlertComparison, AlertFigure, AlertRuleKind, AlertSubject, HostStatus, VmStatus } from '../../../generated/prisma/enums.ts';

export const alertRuleSettings = {
  description: description.optional(),
  enabled: z.boolean().optional(),
  subject: z
    .enum(AlertSubject)
    .meta({ graphql: 'AlertSubject' })
    .nullable()
    .optional()
    .describe('What the rule watches (threshold and status rules).'),
  figure: z.enum(AlertFigure).meta({ graphql: 'AlertFigure' }).nullable().optional().describe('The figure a threshold rule reads.'),
  comparison: z.enum(AlertComparison).meta({ graphql: 'AlertComparison' }).nullable().optional(),
  threshold: z.number().finite().nullable().optional(),
  forSeconds: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(86_400, 'must be at most a day')
    .optional()
    .describe('How long the condition must hold before the alert fires (threshold and status rules); 0 by default.'),
  status: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .describe('A status rule: the HostStatus or VmStatus (NON_RESPONSIVE, DOWN…) that fires it.'),
  eventCode: z
    .string()
    .max(128)
    .nullable()
    .optional()
    .describe('An event rule: the event code (VM_DOWN_ERROR, VDS_FAILURE…) that fires it.'),
  emailTo: z
    .array(z.email('must be an e-mail address'))
    .max(20, 'at most 20 addresses')
    .optional()
    .describe('Mailed each firing and resolution (VIREO_SMTP_URL).'),
};

export const alertRuleKind = z.enum(AlertRuleKind).meta({ graphql: 'AlertRuleKind' });

export interface RuleShape {
  kind: AlertRuleKind;
  subject?: AlertSubject | null;
  figure?: AlertFigure | null;
  comparison?: AlertComparison | null;
  threshold?: number | null;
  status?: string | null;
  eventCode?: string | null;
}

const STATUSES: Record<string, string[]> = { HOST: Object.values(HostStatus), VM: Object.values(VmStatus) };

/** Why a rule, as it would be saved, cannot be evaluated. */
export function ruleReasons(r: RuleShape): (Reason | null)[] {
  switch (r.kind) {
    case 'THRESHOLD':
      return [
        refuseWhen(
          !r.subject || !r.figure || !r.comparison || r.threshold == null,
          'ALERT_RULE_INCOMPLETE',
          'A threshold rule needs a subject, a figure, a comparison and a threshold.',
        ),
        refuseWhen(
          !!r.subject && !!r.figure && !FIGURES_OF[r.subject].includes(r.figure),
          'ALERT_FIGURE_NOT_OF_SUBJECT',
          `${r.subject} has no figure ${r.figure}; it has ${r.subject ? FIGURES_OF[r.subject].join(', ') : ''}.`,
        ),
      ];
    case 'STATUS':
      return [
        refuseWhen(r.subject !== 'HOST' && r.subject !== 'VM', 'ALERT_RULE_INCOMPLETE', 'A status rule watches a HOST or a VM.'),
        refuseWhen(
          (r.subject === 'HOST' || r.subject === 'VM') && !STATUSES[r.subject]!.includes(r.status ?? ''),
          'ALERT_STATUS_UNKNOWN',
          `${r.status ?? '(none)'} is not a status of a ${r.subject}; one of ${r.subject ? (STATUSES[r.subject] ?? []).join(', ') : ''}.`,
        ),
      ];
    case 'EVENT':
      return [
        refuseWhen(
          !r.eventCode || !(r.eventCode in auditLogTypes),
          'ALERT_EVENT_CODE_UNKNOWN',
          `${r.eventCode ?? '(none)'} is not an event code Vireo writes.`,
        ),
        refuseWhen(ALERT_CODES.includes(r.eventCode ?? ''), 'ALERT_EVENT_CODE_UNKNOWN', "A rule may not watch the alerts' own events."),
      ];
  }
}
