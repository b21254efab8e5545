// Configuration history on VMs, hosts and clusters (server/history/configHistory.ts).
import { z } from 'zod';
import { builder } from '../builder.ts';
import { configAt, configHistory, type ConfigObject, type ConfigRevision } from '../../server/history/configHistory.ts';

export const ConfigRevisionRef = builder.objectRef<ConfigRevision>('ConfigRevision').implement({
  description: 'The configuration of a VM, host or cluster from one change on (runtime state such as status is not configuration).',
  fields: (t) => ({
    changedAt: t.expose('changedAt', { type: 'DateTime' }),
    changedFields: t.exposeStringList('changedFields', {
      description: 'The fields this change set (every field for the first revision known).',
    }),
    config: t.string({
      description: 'Every configuration field as it was, a JSON object (names as on the type, ids as UUIDs).',
      resolve: (r) => JSON.stringify(r.config),
    }),
  }),
});

function configFields(type: ConfigObject) {
  builder.prismaObjectFields(type, (t) => ({
    configHistory: t.field({
      type: [ConfigRevisionRef],
      description: 'Every change of its configuration, newest first.',
      args: {
        first: t.arg.int({
          required: true,
          defaultValue: 100,
          validate: z.number().int().min(1, 'first is at least 1').max(1000, 'first is at most 1000'),
        }),
      },
      resolve: (row, { first }, ctx) => configHistory(ctx.db, type, row.id, first),
    }),
    configAt: t.field({
      type: ConfigRevisionRef,
      nullable: true,
      description: 'Its configuration as it was at that time; null before it existed.',
      args: { time: t.arg({ type: 'DateTime', required: true }) },
      resolve: (row, { time }, ctx) => configAt(ctx.db, type, row.id, time),
    }),
  }));
}

configFields('Vm');
configFields('Host');
configFields('Cluster');
