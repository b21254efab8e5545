// The host's side of VM leases (sanlock's role, in the agent): a VM started with a lease first
// takes it (refused while another host renews it), the lease is renewed every quarter of its
// timeout while the VM runs and released when the VM stops here. A VM whose lease this host can
// no longer renew for half the timeout, or that another host has taken, is killed, so by the time
// the lease has expired for the others nothing runs it here. The lease is a small JSON file,
// `<domain dir>/leases/<vm id>.lease`, replaced whole (written aside, then renamed) at each renewal.
// The host records which leases it holds (heldLeases.ts): a restarted agent resumes renewing them.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DomainState } from '../../protocol/messages.ts';
import type { LeaseState, LeaseStatusResult, VmLease } from '../../protocol/leases.ts';
import type { HypervisorDriver } from '../driver.ts';
import { domainDir } from '../storage/domainLayout.ts';
import { readHeldLeases, writeHeldLeases } from './heldLeases.ts';

/** What the lease file holds. */
interface LeaseRecord {
  vmId: string;
  /** The host that wrote it. */
  holder: string;
  /** Changes with each acquisition: a holder that finds another one has lost the lease. */
  generation: string;
  /** Grows with each renewal: a watcher that sees it move knows the lease is alive, whatever the clocks say. */
  counter: number;
  /** The holder's clock at the last renewal (ms since the epoch). */
  renewedAt: number;
  timeoutMs: number;
  released: boolean;
}

interface Held {
  lease: VmLease;
  generation: string;
  counter: number;
  lastRenewed: number;
  lastAttempt: number;
  /** The destination of a live migration: the lease is taken over when the VM comes Up here. */
  incoming: boolean;
  /** Taken for a start still under way: the VM not running yet does not let the lease go. */
  starting?: boolean;
}

type Domain = Pick<VmLease, 'domainId' | 'domainPath'>;
/** What leases need of the hypervisor: which VMs run here, and a way to kill one. */
export type LeaseDriver = Pick<HypervisorDriver, 'listDomains' | 'destroy' | 'kill'>;

const TICK_MS = 100;
/** States in which the VM no longer (or not yet) runs here and its lease is not ours to keep. */
const GONE: (DomainState | undefined)[] = [undefined, 'DOWN'];

export const renewalIntervalMs = (timeoutMs: number) => Math.max(100, Math.floor(timeoutMs / 4));
/** How long a lease past its timeout is watched standing still before it counts as expired. */
const watchMs = (timeoutMs: number) => renewalIntervalMs(timeoutMs) * 1.25;

export function leasePath(domain: Domain, vmId: string): string {
  return path.join(domainDir(domain), 'leases', `${vmId}.lease`);
}

async function readLease(domain: Domain, vmId: string): Promise<LeaseRecord | null> {
  try {
    return JSON.parse(await readFile(leasePath(domain, vmId), 'utf8')) as LeaseRecord;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** `create`: make the leases folder (taking a lease); a renewal only ever replaces the file that is there. */
async function writeLease(domain: Domain, record: LeaseRecord, create = false): Promise<void> {
  const file = leasePath(domain, record.vmId);
  if (create) await mkdir(path.dirname(file), { recursive: true });
  const aside = `${file}.${record.holder}.tmp`;
  await writeFile(aside, JSON.stringify(record));
  await rename(aside, file);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class VmLeases {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  /** Others' leases as this host last read them, and since when (monotonic clock) they have not moved. */
  private readonly seen = new Map<string, { generation: string; counter: number; since: number }>();
  /** Writes of the host's record of held leases, one after the other. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly hostName: string,
    private readonly driver: LeaseDriver,
    private readonly log: (m: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the VM's lease before it starts here; throws (the start is refused) while another host holds it. */
  async acquire(vmId: string, lease: VmLease, incoming: boolean): Promise<void> {
    if (incoming) {
      // The source renews it until the hand-over; this host takes it over once the VM is Up here.
      this.track(vmId, { lease, generation: '', counter: 0, lastRenewed: this.now(), lastAttempt: 0, incoming: true });
      return;
    }
    const [status] = await this.judge(lease, [vmId], this.hostName);
    if (status!.state === 'HELD')
      throw new Error(
        `its lease on storage domain ${lease.domainId} is held by host ${status!.holder}, renewed ${seconds(status!.sinceRenewalMs ?? 0)} ago: the VM may still run there`,
      );
    await this.take(vmId, lease, true);
  }

  /** The start that took the VM's lease is done: from now on the VM no longer running here lets the lease go. */
  started(vmId: string): void {
    const h = this.held.get(vmId);
    if (h) h.starting = false;
  }

  /**
   * The agent (re)started: the leases the host recorded as held. A VM still running here keeps its
   * lease, renewed again from where its file stands, unless it went unrenewed for half the timeout
   * (a renewer that never stopped would have killed it by then, and the others may soon find it
   * expired) or another host took it meanwhile: then the VM is killed. A lease of a VM no longer
   * running here is released.
   */
  async resume(): Promise<void> {
    const recorded = await readHeldLeases(this.hostName);
    const entries = Object.entries(recorded).filter(([vmId]) => !this.held.has(vmId));
    if (!entries.length) return;
    const states = new Map((await this.driver.listDomains()).map((d) => [d.id, d.state]));
    for (const [vmId, { lease, generation }] of entries) {
      let rec: LeaseRecord | null;
      try {
        rec = await readLease(lease, vmId);
      } catch (e) {
        rec = null;
        this.log(`the lease of VM ${vmId} cannot be read: ${(e as Error).message}`);
      }
      const ours = !!rec && rec.generation === generation && !rec.released;
      if (GONE.includes(states.get(vmId))) {
        if (ours) await writeLease(lease, { ...rec!, released: true, renewedAt: this.now() }).catch(() => {});
        continue;
      }
      const silent = rec ? this.now() - rec.renewedAt : Number.POSITIVE_INFINITY;
      if (!ours)
        await this.kill(vmId, `on storage domain ${lease.domainId} ${rec ? `is held by host ${rec.holder} now` : 'cannot be read'}`);
      else if (silent > lease.timeoutMs / 2)
        await this.kill(vmId, `on storage domain ${lease.domainId} went unrenewed for ${seconds(silent)} while the agent was down`);
      else {
        this.track(vmId, { lease, generation, counter: rec!.counter, lastRenewed: rec!.renewedAt, lastAttempt: 0, incoming: false });
        this.log(`resumed renewing the lease of VM ${vmId}`);
      }
    }
    await this.save();
  }

  /** The start failed after the lease was taken: give it back. */
  async giveBack(vmId: string): Promise<void> {
    const h = this.held.get(vmId);
    this.drop(vmId);
    if (h && !h.incoming) await this.release(vmId, h).catch(() => {});
  }

  /** How the leases stand, as any host sees them (the engine asks before restarting a lost host's VMs). */
  async status(domain: Domain, vmIds: string[]): Promise<LeaseStatusResult> {
    return { leases: await this.judge(domain, vmIds, null) };
  }

  /** How many leases this host holds (or awaits from a migration). */
  get count(): number {
    return this.held.size;
  }

  /** Stops renewing (the agent stops): the leases expire after their timeout, unless the host's lease keeper renews them. */
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async take(vmId: string, lease: VmLease, starting = false) {
    const generation = randomUUID();
    const now = this.now();
    try {
      await writeLease(
        lease,
        {
          vmId,
          holder: this.hostName,
          generation,
          counter: 0,
          renewedAt: now,
          timeoutMs: lease.timeoutMs,
          released: false,
        },
        true,
      );
    } catch (e) {
      throw new Error(`its lease on storage domain ${lease.domainId} cannot be written: ${(e as Error).message}`);
    }
    this.track(vmId, { lease, generation, counter: 0, lastRenewed: now, lastAttempt: now, incoming: false, starting });
  }

  private track(vmId: string, h: Held) {
    this.held.set(vmId, h);
    if (!h.incoming) void this.save();
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), TICK_MS);
      this.timer.unref();
    }
  }

  /**
   * Each lease's state; `self`: this host's own leases count as free. A lease past its timeout by
   * the holder's clock is watched for one renewal interval more: a counter that moves means it is
   * alive (the holder's clock is behind), so two clocks are never trusted alone. A lease this host
   * has already seen standing still that long (an earlier check or attempt) needs no more watching.
   */
  private async judge(domain: Domain, vmIds: string[], self: string | null) {
    // A domain this host does not see tells nothing about others' leases (taking one writes it, or fails).
    if (self === null)
      await stat(domainDir(domain)).catch((e: Error) => {
        throw new Error(`storage domain ${domain.domainId} is not reachable: ${e.message}`);
      });
    const first = await Promise.all(vmIds.map((id) => readLease(domain, id)));
    const now = this.now();
    const out: LeaseStatusResult['leases'] = [];
    const watch: { i: number; rec: LeaseRecord }[] = [];
    for (const [i, rec] of first.entries()) {
      const vmId = vmIds[i]!;
      if (!rec || rec.released || rec.holder === self) {
        const state: LeaseState = rec || self ? 'FREE' : 'MISSING';
        out.push({ vmId, state, holder: rec?.holder ?? null, sinceRenewalMs: rec ? now - rec.renewedAt : null });
        continue;
      }
      const age = now - rec.renewedAt;
      out.push({ vmId, state: age <= rec.timeoutMs ? 'HELD' : 'EXPIRED', holder: rec.holder, sinceRenewalMs: age });
      const still = this.stillFor(rec);
      if (age > rec.timeoutMs && still < watchMs(rec.timeoutMs)) watch.push({ i, rec });
    }
    if (watch.length) {
      const wait = Math.max(...watch.map((w) => watchMs(w.rec.timeoutMs) - this.stillFor(w.rec)));
      await sleep(wait);
      for (const { i, rec } of watch) {
        const again = await readLease(domain, vmIds[i]!);
        if (again) this.stillFor(again);
        const moved = !!again && (again.generation !== rec.generation || again.counter !== rec.counter);
        const state: LeaseState = !again ? 'MISSING' : again.released ? 'FREE' : moved ? 'HELD' : 'EXPIRED';
        out[i] = { ...out[i]!, state, ...(again ? { holder: again.holder, sinceRenewalMs: this.now() - again.renewedAt } : {}) };
      }
    }
    return out;
  }

  /** How long (ms) this host has seen the lease's record unchanged, counting from now if it is new. */
  private stillFor(rec: LeaseRecord): number {
    const last = this.seen.get(rec.vmId);
    const t = performance.now();
    if (last && last.generation === rec.generation && last.counter === rec.counter) return t - last.since;
    this.seen.set(rec.vmId, { generation: rec.generation, counter: rec.counter, since: t });
    if (this.seen.size > 100_000) this.seen.delete(this.seen.keys().next().value!);
    return 0;
  }

  private async release(vmId: string, h: Held) {
    const rec = await readLease(h.lease, vmId);
    if (rec && rec.generation === h.generation) await writeLease(h.lease, { ...rec, released: true, renewedAt: this.now() });
  }

  /** No longer held here. */
  private drop(vmId: string) {
    if (this.held.delete(vmId)) void this.save();
  }

  /** Records the leases held now (the last of several quick changes wins: each write reads the map when it runs). */
  private save(): Promise<void> {
    this.saving = this.saving
      .then(() => {
        const held = Object.fromEntries(
          [...this.held].filter(([, h]) => !h.incoming).map(([vmId, h]) => [vmId, { lease: h.lease, generation: h.generation }]),
        );
        return writeHeldLeases(this.hostName, held);
      })
      .catch((e: Error) => this.log(`could not record the leases held: ${e.message}`));
    return this.saving;
  }

  private async kill(vmId: string, why: string) {
    this.drop(vmId);
    this.log(`killing VM ${vmId}: ${why}`);
    const message = `its lease ${why}; the host killed it so that it could run elsewhere`;
    await (this.driver.kill ? this.driver.kill(vmId, message) : this.driver.destroy(vmId)).catch((e: Error) =>
      this.log(`could not kill VM ${vmId}: ${e.message}`),
    );
  }

  private async tick() {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const states = new Map((await this.driver.listDomains()).map((d) => [d.id, d.state]));
      await Promise.all([...this.held].map(([vmId, h]) => this.keep(vmId, h, states.get(vmId))));
      if (!this.held.size) this.stop();
    } catch (e) {
      this.log(`lease renewal: ${(e as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private async keep(vmId: string, h: Held, state: DomainState | undefined) {
    const now = this.now();
    if (h.incoming) {
      if (state === 'UP') {
        this.held.delete(vmId);
        await this.take(vmId, h.lease).catch((e: Error) => this.kill(vmId, `could not be taken over after the migration: ${e.message}`));
      } else if (GONE.includes(state)) this.drop(vmId);
      return;
    }
    if (GONE.includes(state) && !h.starting) {
      this.drop(vmId);
      await this.release(vmId, h).catch((e: Error) => this.log(`could not release the lease of VM ${vmId}: ${e.message}`));
      return;
    }
    if (now - h.lastAttempt < renewalIntervalMs(h.lease.timeoutMs)) return;
    h.lastAttempt = now;
    try {
      const rec = await readLease(h.lease, vmId);
      if (!rec) throw new Error('its file is gone');
      if (rec.generation !== h.generation) {
        this.drop(vmId);
        // Handed over to a migration's destination: nothing to do. Otherwise another host took it: this copy must go.
        if (state !== 'MIGRATING_FROM') await this.kill(vmId, `on storage domain ${h.lease.domainId} was taken by host ${rec.holder}`);
        return;
      }
      h.counter += 1;
      await writeLease(h.lease, {
        vmId,
        holder: this.hostName,
        generation: h.generation,
        counter: h.counter,
        renewedAt: now,
        timeoutMs: h.lease.timeoutMs,
        released: false,
      });
      h.lastRenewed = now;
    } catch (e) {
      const silent = now - h.lastRenewed;
      if (silent > h.lease.timeoutMs / 2)
        await this.kill(
          vmId,
          `on storage domain ${h.lease.domainId} could not be renewed for ${seconds(silent)} (${(e as Error).message})`,
        );
    }
  }
}
