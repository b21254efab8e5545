// The one way an action reaches a host: the engine's host verbs (server/agents/hostBroker.ts),
// in the HostContext that onHost() and follow() get.
import type { Actor } from '../auth/actor.ts';
import type { Engine } from '../engine.ts';
import type { HostContext } from './defineAction.ts';

export interface HostContextOptions {
  engine: Engine;
  actor: Actor;
  title: string;
  jobId: string | null;
  correlationId: string;
  /** Where undo steps go (the run's list); a followed action has none left to register. */
  compensate?(undo: () => Promise<void>): void;
}

export function hostContext(o: HostContextOptions): HostContext {
  return {
    engine: o.engine,
    actor: o.actor,
    jobId: o.jobId,
    correlationId: o.correlationId,
    compensate:
      o.compensate ??
      (() => {
        throw new Error(`${o.title}: undo steps are registered before the action returns`);
      }),
    hosts: o.engine.hosts,
  };
}
