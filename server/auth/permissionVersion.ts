import type { PubSub } from '../pubsub.ts';

/**
 * Counts grants, revocations, user changes and log-outs seen on pub/sub (from any engine when
 * pub/sub goes through Redis), so cached visibility knows when to be computed again.
 */
export class PermissionVersion {
  value = 0;
  private readonly stream: AsyncIterator<unknown>;

  constructor(pubsub: PubSub) {
    this.stream = pubsub.subscribe('permission:changed')[Symbol.asyncIterator]();
    void this.follow();
  }

  private async follow() {
    while (!(await this.stream.next()).done) this.value++;
  }

  stop(): void {
    void this.stream.return?.();
  }
}
