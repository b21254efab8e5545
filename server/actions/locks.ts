/**
 * Exclusive locks on objects for the length of an action (oVirt's getExclusiveLocks). A second
 * action on a held key fails at once with LOCKED, as oVirt does; it does not queue.
 * In-process: one engine process owns the locks. Several replicas will need a shared lock.
 */
export class LockManager {
  private readonly held = new Map<string, string>();

  /** Takes every key or none; returns the first key already held, or null on success. */
  tryAcquire(keys: string[], owner: string): string | null {
    const busy = keys.find((k) => this.held.has(k));
    if (busy) return busy;
    for (const k of keys) this.held.set(k, owner);
    return null;
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  release(keys: string[], owner: string): void {
    for (const k of keys) if (this.held.get(k) === owner) this.held.delete(k);
  }
}

/** The lock key of one object, e.g. lockKey('Vm', id). */
export function lockKey(type: string, id: string): string {
  return `${type}:${id}`;
}
