// A host's fence agent (power management). The password is never part of the API: only whether one is set.
import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';

export const FenceAgentRef = builder.prismaNode('FenceAgent', {
  authScopes: async (row, ctx) => {
    const host = await ctx.db.host.findUnique({ where: { id: row.hostId }, select: { id: true, clusterId: true } });
    return { visible: (v) => !!host && canSee.host(v, host) };
  },
  id: { field: 'id' },
  nullable: true,
  description: "One way to control a host's power: a standard fence-agent program (fence_<type>) and the device it reaches.",
  fields: (t) => ({
    host: t.relation('host'),
    order: t.exposeInt('order', { description: 'Agents are tried in this order, lowest first.' }),
    type: t.exposeString('type', { description: 'The program without `fence_`: ipmilan, virsh, redfish…' }),
    address: t.exposeString('address'),
    port: t.exposeString('port', { description: 'Plug, outlet or VM name the device acts on.' }),
    username: t.exposeString('username'),
    passwordSet: t.boolean({
      description: 'Whether a password is stored (it is never shown).',
      resolve: (a) => a.passwordEncrypted !== '',
    }),
    options: t.field({
      type: [FenceOptionRef],
      description: 'More key=value arguments of the program.',
      resolve: (a) => Object.entries((a.options ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value })),
    }),
  }),
});

export const FenceOptionRef = builder.objectRef<{ key: string; value: string }>('FenceOption').implement({
  description: 'One key=value argument of a fence-agent program.',
  fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value') }),
});
