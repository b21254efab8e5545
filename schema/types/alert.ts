import { builder } from '../builder.ts';
import { AlertComparison, AlertFigure, AlertRuleKind, AlertSubject } from './enums.ts';

export const AlertRuleRef = builder.prismaNode('AlertRule', {
  authScopes: { admin: true },
  id: { field: 'id' },
  nullable: true,
  description: "An alert rule (administrators): what fires an alert, evaluated against monitoring's stream and the event log.",
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    enabled: t.exposeBoolean('enabled'),
    kind: t.expose('kind', { type: AlertRuleKind }),
    subject: t.expose('subject', { type: AlertSubject, nullable: true }),
    figure: t.expose('figure', { type: AlertFigure, nullable: true }),
    comparison: t.expose('comparison', { type: AlertComparison, nullable: true }),
    threshold: t.exposeFloat('threshold', { nullable: true }),
    forSeconds: t.exposeInt('forSeconds', { description: 'How long the condition must hold before the alert fires.' }),
    status: t.exposeString('status', { nullable: true }),
    eventCode: t.exposeString('eventCode', { nullable: true }),
    emailTo: t.exposeStringList('emailTo', { description: 'Mailed each firing and resolution.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AlertRef = builder.prismaNode('Alert', {
  id: { field: 'id' },
  nullable: true,
  description: 'One firing of an alert rule for one object; shown to whom may see that object.',
  fields: (t) => ({
    ruleName: t.string({ select: { rule: { select: { name: true } } }, resolve: (a) => a.rule.name }),
    firing: t.boolean({
      select: { resolvedAt: true },
      resolve: (a) => a.resolvedAt === null,
      description: "Not resolved yet (event rules' alerts are resolved as they fire).",
    }),
    objectName: t.exposeString('objectName', {
      description: "The host, VM or storage domain it is about (the event's object for event rules).",
    }),
    message: t.exposeString('message'),
    value: t.exposeFloat('value', { nullable: true, description: 'The figure when it fired (threshold rules).' }),
    firedAt: t.expose('firedAt', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    dataCenterId: t.exposeString('dataCenterId', { nullable: true }),
    clusterId: t.exposeString('clusterId', { nullable: true }),
    hostId: t.exposeString('hostId', { nullable: true }),
    vmId: t.exposeString('vmId', { nullable: true }),
    storageDomainId: t.exposeString('storageDomainId', { nullable: true }),
  }),
});
