/**
 * Exclusive locks on objects for the length of an action (oVirt's getExclusiveLocks). A second
 * action on a held key fails at once with LOCKED, as oVirt does; it does not queue.
 * In one process's memory without Redis; shared by every engine through Redis when REDIS_URL is
 * set (server/actions/redisLocks.ts), where a dead engine's locks expire within seconds.
 */
export interface ActionLocks {
  /** Takes every key or none; resolves to the first key already held, or null on success. `title` names the holding action. */
  tryAcquire(keys: string[], owner: string, title?: string): Promise<string | null>;
  isHeld(key: string): Promise<boolean>;
  /** The title of the action holding `key` ("run VM"), or null when it is free. */
  holder(key: string): Promise<string | null>;
  release(keys: string[], owner: string): Promise<void>;
  close(): Promise<void>;
}

/** The locks of one engine process, in its memory. */
export class LockManager implements ActionLocks {
  private readonly held = new Map<string, { owner: string; title: string }>();

  async tryAcquire(keys: string[], owner: string, title = ''): Promise<string | null> {
    const busy = keys.find((k) => this.held.has(k));
    if (busy) return busy;
    for (const k of keys) this.held.set(k, { owner, title });
    return null;
  }

  async isHeld(key: string): Promise<boolean> {
    return this.held.has(key);
  }

  async holder(key: string): Promise<string | null> {
    return this.held.get(key)?.title ?? null;
  }

  async release(keys: string[], owner: string): Promise<void> {
    for (const k of keys) if (this.held.get(k)?.owner === owner) this.held.delete(k);
  }

  async close(): Promise<void> {}
}

/** The lock key of one object, e.g. lockKey('Vm', id). */
export function lockKey(type: string, id: string): string {
  return `${type}:${id}`;
}
