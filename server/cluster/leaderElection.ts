// Which engine runs the cluster-wide loops. On PostgreSQL the leader is the engine holding a
// session-level advisory lock on a connection of its own: when the leader dies (kill -9 closes
// its socket) PostgreSQL ends the session and frees the lock, and another engine takes it at its
// next try (every `retryMs`). The leader checks its connection as often and steps down when a
// check fails or takes longer than `queryTimeoutMs`.
//
// A leader cut off from PostgreSQL without its socket closing (a network partition, a stalled
// process) must not lead beside the next one. Its session is set to end after `2 × (retryMs +
// queryTimeoutMs)` without a query (`idle_session_timeout`), which frees the lock; by then the cut-off
// leader's own check has failed and it has stepped down. So the lock passes only after the old
// leader stopped, never while it still believes it leads. Before an action no one can undo (power
// fencing a host) the leader also asks `stillLeading()`, which checks the lock on the spot.
// On the embedded database there is one engine process: it leads from the start.
import pg from 'pg';

/** The advisory lock's key (any constant bigint; "vireo" in ASCII). Advisory locks are per database. */
export const LEADER_LOCK_KEY = 0x766972656fn;

export interface LeaderElectionOptions {
  /** postgresql:// URL; none: the embedded database, where this process always leads. */
  url?: string;
  /** How often a follower tries the lock and the leader checks its connection (ms; default 1000). */
  retryMs?: number;
  /** How long a check may take before the leader steps down (ms; default 5000). */
  queryTimeoutMs?: number;
  /** Called with true when this engine becomes leader, false when it stops being one. */
  onChange?: (leader: boolean) => void;
}

export class LeaderElection {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private trying: Promise<void> | null = null;
  private started = false;
  private readonly listeners: ((leader: boolean) => void)[] = [];

  constructor(private readonly opts: LeaderElectionOptions = {}) {
    if (opts.onChange) this.listeners.push(opts.onChange);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Whether this engine leads, checked with PostgreSQL now (not at the last check); steps down if the
   * check fails. An engine taking no part in an election (one process running the loops itself, as
   * tests do) is never held back.
   */
  async stillLeading(): Promise<boolean> {
    if (!this.opts.url || !this.started) return true;
    const client = this.client;
    if (!this.leading || !client) return false;
    try {
      const res = await client.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
           AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1::bigint) AS held`,
        [LEADER_LOCK_KEY.toString()],
      );
      if (res.rows[0]?.held) return true;
      console.error('leader election: the leader lock is no longer held; stepping down');
    } catch (err) {
      console.error('leader election: could not confirm the leader lock; stepping down:', err);
    }
    if (this.client === client) await this.drop();
    return false;
  }

  /** Calls `listener` on every change of leadership (and at once if this engine leads already). */
  onChange(listener: (leader: boolean) => void): void {
    this.listeners.push(listener);
    if (this.leading) listener(true);
  }

  /** Starts trying; resolves after the first try (so a lone engine leads before it serves). */
  async start(): Promise<void> {
    this.started = true;
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
        const queryTimeout = this.opts.queryTimeoutMs ?? 5000;
        const client = new pg.Client({
          connectionString: this.opts.url,
          keepAlive: true,
          query_timeout: queryTimeout,
          connectionTimeoutMillis: queryTimeout,
          application_name: 'vireo-leader-election',
        });
        client.on('error', () => {
          if (this.client === client) void this.drop();
        });
        this.client = client;
        await client.connect();
        const idleMs = 2 * ((this.opts.retryMs ?? 1000) + queryTimeout);
        await client.query(`SET idle_session_timeout = ${Math.round(idleMs)}`);
      }
      const client = this.client;
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const res = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK_KEY.toString()]);
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
    // A connection cut off without closing may never answer the goodbye: wait a moment, not for ever.
    const ended = client?.end().catch(() => undefined);
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000).unref())]);
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
