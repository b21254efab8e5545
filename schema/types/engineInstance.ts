import { DEAD_AFTER_MS } from '../../server/cluster/engineInstances.ts';
import { builder } from '../builder.ts';

export const EngineInstanceRef = builder.prismaObject('EngineInstance', {
  authScopes: { admin: true },
  description:
    'One engine process sharing the database (several engines behind one PostgreSQL and Redis); the leader runs the cluster-wide loops.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url', { description: 'Where its GraphQL endpoint listens.' }),
    hostName: t.exposeString('hostName'),
    pid: t.exposeInt('pid'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    heartbeatAt: t.expose('heartbeatAt', { type: 'DateTime', description: 'Its last heartbeat (every 2 s), by the database clock.' }),
    leaderSince: t.expose('leaderSince', { type: 'DateTime', nullable: true }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true, description: 'When it stopped, or was found dead.' }),
    leader: t.boolean({
      description: 'It leads now: holds the leader lock (recorded by itself) and is alive.',
      select: { leaderSince: true, stoppedAt: true, heartbeatAt: true },
      resolve: (e) => e.leaderSince !== null && e.stoppedAt === null && Date.now() - e.heartbeatAt.getTime() < DEAD_AFTER_MS,
    }),
    alive: t.boolean({
      description: `Its heartbeat is less than ${DEAD_AFTER_MS / 1000} s old.`,
      select: { stoppedAt: true, heartbeatAt: true },
      resolve: (e) => e.stoppedAt === null && Date.now() - e.heartbeatAt.getTime() < DEAD_AFTER_MS,
    }),
  }),
});
