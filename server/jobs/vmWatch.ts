// Waits for VMs to reach a state, as monitoring records it: one subscription to the VM topics
// per engine, and waiters keyed by VM id, so a thousand starts in flight cost one listener.
import type { Db } from '../db.ts';
import type { PubSub, Topics } from '../pubsub.ts';
import type { VmStatus } from '../../generated/prisma/enums.ts';

export interface WatchedVm {
  id: string;
  name: string;
  status: VmStatus;
  hostId: string | null;
}
export type MigrationEvent = Topics['vm:migration'][0];

interface Waiter {
  until(vm: WatchedVm | null): boolean;
  resolve(vm: WatchedVm | null, timedOut: boolean): void;
}

export class VmWatch {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly migrationListeners = new Map<string, Set<(e: MigrationEvent) => void>>();

  constructor(
    private readonly db: Db,
    pubsub: PubSub,
  ) {
    const changes = pubsub.subscribe('vm:changed')[Symbol.asyncIterator]();
    const migrations = pubsub.subscribe('vm:migration')[Symbol.asyncIterator]();
    void this.loop(changes, (e) => {
      if (this.waiters.has(e.id)) void this.check(e.id);
    });
    void this.loop(migrations, (e) => {
      for (const l of this.migrationListeners.get(e.vmId) ?? []) l(e);
    });
  }

  /**
   * Resolves with the VM once `until` holds for it (checked now, then on every change), or with
   * `timedOut` after `timeoutMs`. A removed VM is passed as null.
   */
  wait(vmId: string, until: (vm: WatchedVm | null) => boolean, timeoutMs: number): Promise<{ vm: WatchedVm | null; timedOut: boolean }> {
    return new Promise((resolve) => {
      const set = this.waiters.get(vmId) ?? new Set<Waiter>();
      this.waiters.set(vmId, set);
      const timer = setTimeout(() => done(null, true), timeoutMs);
      timer.unref?.();
      const waiter: Waiter = { until, resolve: (vm, timedOut) => done(vm, timedOut) };
      const done = (vm: WatchedVm | null, timedOut: boolean) => {
        clearTimeout(timer);
        set.delete(waiter);
        if (!set.size && this.waiters.get(vmId) === set) this.waiters.delete(vmId);
        resolve({ vm, timedOut });
      };
      set.add(waiter);
      void this.check(vmId);
    });
  }

  /** Calls `listener` with each migration report about the VM until the returned function is called. */
  onMigration(vmId: string, listener: (e: MigrationEvent) => void): () => void {
    const set = this.migrationListeners.get(vmId) ?? new Set();
    this.migrationListeners.set(vmId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.migrationListeners.delete(vmId);
    };
  }

  private async check(vmId: string) {
    const set = this.waiters.get(vmId);
    if (!set?.size) return;
    const vm = await this.db.vm
      .findUnique({ where: { id: vmId }, select: { id: true, name: true, status: true, hostId: true } })
      .catch(() => undefined);
    if (vm === undefined) return;
    for (const w of [...set]) if (w.until(vm)) w.resolve(vm, false);
  }

  private async loop<T>(it: AsyncIterator<T>, on: (e: T) => void) {
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      try {
        on(next.value);
      } catch (e) {
        console.error('vm watch:', e);
      }
    }
  }
}
