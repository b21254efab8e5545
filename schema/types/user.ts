import { builder } from '../builder.ts';

export const UserRef = builder.prismaNode('User', {
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
