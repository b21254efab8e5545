import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ChangeRow } from '../../server/changes/changeFeed.ts';
import { builder } from '../builder.ts';
import { EventRef } from './event.ts';

/** The GraphQL type of each feed topic's objects. */
const TYPE_OF_TOPIC: Record<string, string> = {
  event: 'Event',
  vm: 'Vm',
  host: 'Host',
  cluster: 'Cluster',
  dataCenter: 'DataCenter',
  storageDomain: 'StorageDomain',
  network: 'Network',
};

export const ChangeRef = builder.objectRef<ChangeRow>('Change').implement({
  description:
    'One entry of the change feed: an event written, or an object created, changed (VMs and hosts: status, name, placement) or removed, in commit order.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Its position: give it as `after` to get what follows.' }),
    topic: t.exposeString('topic', { description: 'event, vm, host, cluster, dataCenter, storageDomain or network.' }),
    kind: t.exposeString('kind', { description: 'created, updated or removed (events are created).' }),
    objectId: t.id({
      description: "The global id of the object (for `event`, the event's).",
      resolve: (c) => encodeGlobalID(TYPE_OF_TOPIC[c.topic] ?? c.topic, c.entityId),
    }),
    at: t.expose('at', { type: 'DateTime' }),
    event: t.prismaField({
      type: EventRef,
      nullable: true,
      description: 'The event, for the `event` topic.',
      resolve: (query, c, _a, ctx) => (c.topic === 'event' ? ctx.db.auditLog.findUnique({ ...query, where: { id: c.entityId } }) : null),
    }),
  }),
});

export const ChangePageRef = builder.objectRef<{ changes: ChangeRow[]; cursor: string }>('ChangePage').implement({
  fields: (t) => ({
    changes: t.field({ type: [ChangeRef], resolve: (p) => p.changes }),
    cursor: t.exposeString('cursor', { description: 'The last change returned (or `after` when none): where to continue from.' }),
  }),
});
