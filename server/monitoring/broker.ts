// Engine → agent commands. They travel on the pub/sub topic of the host (so with Redis any
// engine instance can reach the agent), and the agent's result comes back on another topic.
import { randomUUID } from 'node:crypto';
import { Repeater } from '@graphql-yoga/subscription';
import type { AgentCommand, CommandEnvelope, CommandResult } from '../../protocol/messages.ts';
import type { PubSub } from '../pubsub.ts';

export class AgentNotConnectedError extends Error {}

export class AgentBroker {
  private readonly pending = new Map<string, (result: CommandResult) => void>();
  /** Command channels open on this engine instance, per host. */
  private readonly sessions = new Map<string, number>();
  private readonly results: AsyncIterator<CommandResult>;

  constructor(private readonly pubsub: PubSub, private readonly timeoutMs = 30_000) {
    this.results = pubsub.subscribe('agent:commandResult')[Symbol.asyncIterator]();
    void this.collect();
  }

  isConnected(hostId: string): boolean {
    return (this.sessions.get(hostId) ?? 0) > 0;
  }

  /** Sends a command and waits for the agent's result (or the timeout). */
  async send(hostId: string, command: AgentCommand, timeoutMs = this.timeoutMs): Promise<CommandResult> {
    // Only this instance's sessions are known; with Redis, an agent on another instance still gets it.
    if (!this.isConnected(hostId) && !process.env.REDIS_URL) throw new AgentNotConnectedError(`the agent of host ${hostId} is not connected`);
    const id = randomUUID();
    const result = new Promise<CommandResult>((resolve) => {
      const timer = setTimeout(() => { this.pending.delete(id); resolve({ id, ok: false, error: `no answer from the host agent within ${timeoutMs} ms` }); }, timeoutMs);
      this.pending.set(id, (r) => { clearTimeout(timer); this.pending.delete(id); resolve(r); });
    });
    this.pubsub.publish('agent:command', hostId, { id, command });
    return result;
  }

  /** The stream a connected agent receives; counts as that host's session while open. */
  channel(hostId: string): Repeater<CommandEnvelope> {
    return new Repeater<CommandEnvelope>(async (push, stop) => {
      const source = this.pubsub.subscribe('agent:command', hostId);
      this.sessions.set(hostId, (this.sessions.get(hostId) ?? 0) + 1);
      void (async () => { for await (const envelope of source) await push(envelope); })();
      await stop;
      await source.return?.();
      this.sessions.set(hostId, (this.sessions.get(hostId) ?? 1) - 1);
    });
  }

  complete(result: CommandResult) {
    this.pubsub.publish('agent:commandResult', result);
  }

  async close() {
    await this.results.return?.();
  }

  private async collect() {
    for (;;) {
      const next = await this.results.next();
      if (next.done) return;
      this.pending.get(next.value.id)?.(next.value);
    }
  }
}
