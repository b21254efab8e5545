// Engine → agent commands. They travel on the pub/sub topic of the host (so with Redis any
// engine instance can reach the agent), and the agent's result comes back on another topic.
// The engine speaks to hosts through HostBroker's verbs (hostBroker.ts); this is their transport.
import { randomUUID } from 'node:crypto';
import { Repeater } from '@graphql-yoga/subscription';
import type { AgentCommand, CommandEnvelope, CommandResult } from '../../protocol/messages.ts';
import type { PubSub } from '../pubsub.ts';
import { NO_OTHER_ENGINES, type AgentPresence } from '../cluster/agentPresence.ts';

export class CommandBus {
  private readonly pending = new Map<string, (result: CommandResult) => void>();
  /** Command channels open on this engine instance, per host. */
  private readonly sessions = new Map<string, number>();
  private readonly results: AsyncIterator<CommandResult>;

  /** `presence`: where other engines' agents are (server/cluster/agentPresence.ts); none without Redis. */
  constructor(
    private readonly pubsub: PubSub,
    private readonly presence: AgentPresence = NO_OTHER_ENGINES,
  ) {
    this.results = pubsub.subscribe('agent:commandResult')[Symbol.asyncIterator]();
    void this.collect();
  }

  /** Whether the host's agent has its command channel open on this engine instance. */
  isConnectedHere(hostId: string): boolean {
    return (this.sessions.get(hostId) ?? 0) > 0;
  }

  /** Whether the host's agent has its command channel open on any engine (this one, or another through Redis). */
  isConnected(hostId: string): boolean {
    return this.isConnectedHere(hostId) || this.presence.elsewhere(hostId);
  }

  /** Whether a command can reach the host's agent: connected to some engine (commands travel through Redis to it). */
  reachable(hostId: string): boolean {
    return this.isConnected(hostId);
  }

  /** Sends a command and waits for the agent's result; null when no answer came within `timeoutMs`. */
  send(hostId: string, command: AgentCommand, timeoutMs: number): Promise<CommandResult | null> {
    const id = randomUUID();
    const result = new Promise<CommandResult | null>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(r);
      });
    });
    this.pubsub.publish('agent:command', hostId, { id, command });
    return result;
  }

  /** The stream a connected agent receives; counts as that host's session while open. */
  channel(hostId: string): Repeater<CommandEnvelope> {
    return new Repeater<CommandEnvelope>(async (push, stop) => {
      const source = this.pubsub.subscribe('agent:command', hostId);
      this.sessions.set(hostId, (this.sessions.get(hostId) ?? 0) + 1);
      this.presence.set(hostId, true);
      void (async () => {
        for await (const envelope of source) await push(envelope);
      })();
      await stop;
      await source.return?.();
      const left = (this.sessions.get(hostId) ?? 1) - 1;
      this.sessions.set(hostId, left);
      if (left <= 0) this.presence.set(hostId, false);
    });
  }

  /** An agent's answer to a command (from any engine instance). */
  complete(result: CommandResult) {
    this.pubsub.publish('agent:commandResult', result);
  }

  async close() {
    await this.results.return?.();
    await this.presence.close();
  }

  private async collect() {
    for (;;) {
      const next = await this.results.next();
      if (next.done) return;
      this.pending.get(next.value.id)?.(next.value);
    }
  }
}
