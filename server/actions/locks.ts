/**
 * Exclusive locks on objects for the length of an action (oVirt's getExclusiveLocks). A second
 * action on a held key fails at once with LOCKED, as oVirt does; it does not queue.
 * In-process: one engine process owns the locks. Several replicas will need a shared lock.
 */
export class LockManager {
  private readonly held = new Map<string, { owner: string; title: string }>();

  /** Takes every key or none; returns the first key already held, or null on success. `title` names the holding action. */
  tryAcquire(keys: string[], owner: string, title = ''): string | null {
    const busy = keys.find((k) => this.held.has(k));
    if (busy) return busy;
    for (const k of keys) this.held.set(k, { owner, title });
    return null;
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  /** The title of the action holding `key` ("run VM"), or null when it is free. */
  holder(key: string): string | null {
    return this.held.get(key)?.title ?? null;
  }

  release(keys: string[], owner: string): void {
    for (const k of keys) if (this.held.get(k)?.owner === owner) this.held.delete(k);
  }
}

/** The lock key of one object, e.g. lockKey('Vm', id). */
export function lockKey(type: string, id: string): string {
  return `${type}:${id}`;
}
