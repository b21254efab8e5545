// Which engine runs the cluster-wide loops. On PostgreSQL the leader is the engine holding a
// session-level advisory lock on a connection of its own: when the leader dies (kill -9 closes
// its socket) PostgreSQL ends the session and frees the lock, and another engine takes it at its
// next try (every `retryMs`). The leader checks its connection as often and steps down at the
// first failure, so two engines never both believe they lead for longer than one check. On the
// embedded database there is one engine process: it leads from the start.
import pg from 'pg';

/** The advisory lock's key (any constant bigint; "vireo" in ASCII). Advisory locks are per database. */
export const LEADER_LOCK_KEY = 0x766972656fn;

export interface LeaderElectionOptions {
  /** postgresql:// URL; none: the embedded database, where this process always leads. */
  url?: string;
  /** How often a follower tries the lock and the leader checks its connection (ms). */
  retryMs?: number;
  /** Called with true when this engine becomes leader, false when it stops being one. */
  onChange?: (leader: boolean) => void;
}

export class LeaderElection {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private trying: Promise<void> | null = null;
  private readonly listeners: ((leader: boolean) => void)[] = [];

  constructor(private readonly opts: LeaderElectionOptions = {}) {
    if (opts.onChange) this.listeners.push(opts.onChange);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Calls `listener` on every change of leadership (and at once if this engine leads already). */
  onChange(listener: (leader: boolean) => void): void {
    this.listeners.push(listener);
    if (this.leading) listener(true);
  }

  /** Starts trying; resolves after the first try (so a lone engine leads before it serves). */
  async start(): Promise<void> {
    if (!this.opts.url) {
      this.set(true);
      return;
    }
    await this.tick();
    this.timer ??= setInterval(() => void this.tick(), this.opts.retryMs ?? 1000);
    this.timer.unref();
  }

  /** Stops trying and gives the lock up (its session ends), so another engine leads at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.trying;
    await this.drop();
  }

  private tick(): Promise<void> {
    this.trying ??= this.attempt().finally(() => {
      this.trying = null;
    });
    return this.trying;
  }

  private async attempt(): Promise<void> {
    try {
      if (!this.client) {
        const client = new pg.Client({
          connectionString: this.opts.url,
          keepAlive: true,
          query_timeout: 5000,
          application_name: 'vireo-leader-election',
        });
        client.on('error', () => void this.drop());
        await client.connect();
        this.client = client;
      }
      if (this.leading) {
        await this.client.query('SELECT 1');
        return;
      }
      const res = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK_KEY.toString()]);
      if (res.rows[0]?.locked) this.set(true);
    } catch (err) {
      if (this.leading) console.error('leader election: lost the connection holding the leader lock; stepping down:', err);
      await this.drop();
    }
  }

  /** Ends the connection (and with it the lock); this engine no longer leads. */
  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.set(false);
    await client?.end().catch(() => undefined);
  }

  private set(leader: boolean) {
    if (leader === this.leading) return;
    this.leading = leader;
    for (const l of this.listeners) {
      try {
        l(leader);
      } catch (e) {
        console.error('leadership listener failed:', e);
      }
    }
  }
}
