// The change feed read from the database (the Change table, written by triggers in the changing
// transactions). Rows are read in (xid, seq) order and only those of transactions older than the
// oldest one still running, so a row can never appear behind a cursor already handed out. Each
// engine polls it while anyone listens: at every pub/sub change event and every second, so a change
// committed by an engine that died before publishing it is still delivered, from the database.
import { Repeater } from '@graphql-yoga/subscription';
import type { Db } from '../db.ts';
import type { PubSub, Topic } from '../pubsub.ts';
import { after, FEED_START, formatCursor, type ChangeCursor } from './changeCursor.ts';

export interface ChangeRow {
  cursor: string;
  position: ChangeCursor;
  topic: string;
  entityId: string;
  kind: string;
  at: Date;
}

const PAGE = 1000;
const WAKE_TOPICS: Topic[] = [
  'audit:created',
  'vm:changed',
  'host:changed',
  'cluster:changed',
  'dataCenter:changed',
  'storageDomain:changed',
  'network:changed',
];

/** The changes after `from` (final ones only), oldest first, at most `limit`. */
export async function readChanges(db: Db, from: ChangeCursor, limit = PAGE): Promise<ChangeRow[]> {
  const rows = await db.$queryRaw<{ xid: bigint; seq: bigint; topic: string; entityId: string; kind: string; at: Date }[]>`
    SELECT "xid", "seq", "topic", "entityId"::text AS "entityId", "kind", "at" FROM "Change"
    WHERE ("xid", "seq") > (${from.xid}, ${from.seq})
      AND "xid" < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    ORDER BY "xid", "seq" LIMIT ${limit}`;
  return rows.map((r) => {
    const position = { xid: BigInt(r.xid), seq: BigInt(r.seq) };
    return { cursor: formatCursor(position), position, topic: r.topic, entityId: r.entityId, kind: r.kind, at: r.at };
  });
}

/** Where the feed stands now: the last final change (new ones come after it). */
export async function feedHead(db: Db): Promise<ChangeCursor> {
  const rows = await db.$queryRaw<{ xid: bigint; seq: bigint }[]>`
    SELECT "xid", "seq" FROM "Change" WHERE "xid" < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    ORDER BY "xid" DESC, "seq" DESC LIMIT 1`;
  const r = rows[0];
  return r ? { xid: BigInt(r.xid), seq: BigInt(r.seq) } : FEED_START;
}

export class ChangeFeed {
  private readonly listeners = new Set<(row: ChangeRow) => void>();
  private cursor: ChangeCursor | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private again = false;
  private wakeups: AsyncIterator<unknown>[] = [];

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly everyMs = 1000,
  ) {}

  /**
   * Every change after `from` (from the database), then each new one as it is committed; without
   * `from`, only new ones. Ends when the consumer stops.
   */
  stream(from: ChangeCursor | null): Repeater<ChangeRow> {
    return new Repeater<ChangeRow>(async (push, stop) => {
      const waiting: ChangeRow[] = [];
      let live = false;
      const listener = (row: ChangeRow) => {
        if (from && !after(row.position, from)) return; // the client has it (its cursor came from an engine ahead of this one)
        if (live) void push(row);
        else waiting.push(row);
      };
      const head = await this.attach(listener);
      try {
        // What was missed: from the database up to where the live stream starts.
        let at = from;
        while (at && after(head, at)) {
          const rows = await readChanges(this.db, at);
          for (const row of rows) if (!after(row.position, head)) await push(row);
          if (rows.length < PAGE) break;
          at = rows[rows.length - 1]!.position;
        }
        for (const row of waiting.splice(0)) await push(row);
        live = true;
        await stop;
      } finally {
        this.detach(listener);
      }
    });
  }

  /** Adds a listener; resolves to the position after which it receives every change. */
  private async attach(listener: (row: ChangeRow) => void): Promise<ChangeCursor> {
    if (!this.cursor) {
      this.cursor = await feedHead(this.db);
      this.startPolling();
    }
    this.listeners.add(listener);
    return this.cursor;
  }

  private detach(listener: (row: ChangeRow) => void) {
    this.listeners.delete(listener);
    if (this.listeners.size) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const w of this.wakeups.splice(0)) void w.return?.();
    this.cursor = null;
  }

  private startPolling() {
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
    for (const topic of WAKE_TOPICS) {
      const it = (this.pubsub.subscribe as (t: Topic) => AsyncIterable<unknown>)(topic)[Symbol.asyncIterator]();
      this.wakeups.push(it);
      void (async () => {
        for (;;) {
          const next = await it.next();
          if (next.done) return;
          void this.poll();
        }
      })();
    }
  }

  /** Reads what is new and hands it to the listeners (one read at a time; a wake-up meanwhile reads again after). */
  private poll(): Promise<void> {
    if (this.polling !== null) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        try {
          for (;;) {
            const from = this.cursor;
            if (!from) return;
            const rows = await readChanges(this.db, from);
            if (this.cursor !== from) return; // detached meanwhile
            for (const row of rows) {
              this.cursor = row.position;
              for (const l of this.listeners) l(row);
            }
            if (rows.length < PAGE) break;
          }
        } catch (e) {
          console.error('change feed:', e);
        }
      } while (this.again);
    })().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }
}
