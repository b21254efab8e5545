// The one way an action reaches a host: send() and trySend() of the HostContext that onHost()
// and follow() get, over the engine's agent broker, bounded by the command timeout.
import type { AgentCommand, CommandResult } from '../../protocol/messages.ts';
import type { Actor } from '../auth/actor.ts';
import type { Engine } from '../engine.ts';
import { ActionFailedError } from '../errors.ts';
import { AgentNotConnectedError } from '../monitoring/broker.ts';
import { jobSettings } from '../jobs/settings.ts';
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
  const broker = o.engine.monitoring.broker;
  return {
    engine: o.engine,
    actor: o.actor,
    jobId: o.jobId,
    correlationId: o.correlationId,
    compensate: o.compensate ?? (() => { throw new Error(`${o.title}: undo steps are registered before the action returns`); }),
    async send(host, command: AgentCommand): Promise<CommandResult> {
      let result: CommandResult;
      try {
        result = await broker.send(host.id, command, jobSettings.commandTimeoutMs);
      } catch (e) {
        if (e instanceof AgentNotConnectedError) throw new ActionFailedError(o.title, `the agent of host ${host.name} is not connected.`);
        throw e;
      }
      if (!result.ok) throw new ActionFailedError(o.title, `host ${host.name}: ${result.error ?? 'the command failed'}`);
      return result;
    },
    async trySend(hostId, command) {
      const r = await broker.send(hostId, command, jobSettings.commandTimeoutMs).catch((e: Error) => ({ ok: false, error: e.message }));
      return r.ok;
    },
  };
}
