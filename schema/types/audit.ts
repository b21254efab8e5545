import { builder } from '../builder.ts';
import { AuditSeverity, JobStatus, ObjectType } from './enums.ts';

import { objectName } from '../../server/auth/objects.ts';
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

export const JobRef = builder.prismaNode('Job', {
  id: { field: 'id' },
  nullable: true,
  description: 'A long-running action and its steps.',
  fields: (t) => ({
    actionType: t.exposeString('actionType'),
    description: t.exposeString('description'),
    status: t.expose('status', { type: JobStatus }),
    userName: t.exposeString('userName'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    steps: t.relation('steps', { query: { orderBy: { number: 'asc' } } }),
  }),
});

builder.prismaObject('Step', {
  fields: (t) => ({
    id: t.exposeID('id'),
    stepType: t.exposeString('stepType'),
    description: t.exposeString('description'),
    status: t.expose('status', { type: JobStatus }),
    progress: t.exposeInt('progress', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
  }),
});

const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    userName: t.exposeString('userName'),
    domain: t.exposeString('domain', { description: "'internal' or the name of a directory profile." }),
    displayName: t.exposeString('displayName'),
    email: t.exposeString('email'),
    active: t.exposeBoolean('active'),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
  }),
});

const GroupRef = builder.prismaNode('Group', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    domain: t.exposeString('domain'),
  }),
});

builder.prismaObjectFields('User', (t) => ({
  groups: t.field({
    type: [GroupRef],
    description: 'Local groups it is a member of (a directory user\'s groups are read from its directory at log-in).',
    select: { groups: { select: { group: true }, orderBy: { group: { name: 'asc' } } } },
    resolve: (u) => u.groups.map((m) => m.group),
  }),
}));
builder.prismaObjectFields('Group', (t) => ({
  members: t.field({
    type: [UserRef],
    description: 'Members of a local group (a directory group\'s members are in its directory).',
    select: { members: { select: { user: true }, orderBy: { user: { userName: 'asc' } } } },
    resolve: (g) => g.members.map((m) => m.user),
  }),
}));

builder.prismaNode('Role', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    builtIn: t.exposeBoolean('builtIn'),
    adminRole: t.exposeBoolean('adminRole'),
    actionGroups: t.exposeStringList('actionGroups'),
  }),
});

builder.prismaNode('Permission', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    role: t.relation('role'),
    user: t.relation('user', { nullable: true }),
    group: t.relation('group', { nullable: true }),
    objectType: t.expose('objectType', { type: ObjectType }),
    objectId: t.exposeString('objectId'),
    objectName: t.string({
      nullable: true,
      description: "The name of the object it is on ('System' for the root).",
      select: { objectType: true, objectId: true },
      resolve: (p, _args, ctx) => objectName(ctx.db, { type: p.objectType, id: p.objectId }),
    }),
  }),
});
