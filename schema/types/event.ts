import { builder } from '../builder.ts';
import { AuditSeverity } from './enums.ts';

export const EventRef = builder.prismaNode('AuditLog', {
  variant: 'Event',
  id: { field: 'id' },
  nullable: true,
  description: 'An entry of the event log (audit log).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Event type, as oVirt names them (USER_ADD_VM, …).' }),
    severity: t.expose('severity', { type: AuditSeverity }),
    message: t.exposeString('message'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    userName: t.exposeString('userName'),
    correlationId: t.exposeString('correlationId'),
    dataCenterId: t.exposeString('dataCenterId', { nullable: true }),
    clusterId: t.exposeString('clusterId', { nullable: true }),
    hostId: t.exposeString('hostId', { nullable: true }),
    vmId: t.exposeString('vmId', { nullable: true }),
    storageDomainId: t.exposeString('storageDomainId', { nullable: true }),
  }),
});
