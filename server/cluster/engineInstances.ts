// The engine processes sharing the database: each keeps a row (EngineInstance) with a heartbeat
// written every HEARTBEAT_MS by the database's clock, so engines on machines with different
// clocks agree on who is alive. An engine silent for DEAD_AFTER_MS is dead.
import os from 'node:os';
import type { Db } from '../db.ts';

export const HEARTBEAT_MS = 2000;
export const DEAD_AFTER_MS = 15_000;

export class EngineInstances {
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    readonly id: string,
  ) {}

  /** Writes this engine's row and starts its heartbeat. */
  async start(): Promise<void> {
    const data = { hostName: os.hostname(), pid: process.pid };
    await this.db.engineInstance.upsert({ where: { id: this.id }, create: { id: this.id, ...data }, update: data });
    await this.beat();
    this.timer ??= setInterval(() => {
      this.beating = this.beat().catch((e) => console.error('engine heartbeat:', e));
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Records where this engine's GraphQL endpoint listens. */
  async announce(url: string): Promise<void> {
    await this.db.engineInstance.update({ where: { id: this.id }, data: { url } });
  }

  /** Stops the heartbeat and marks the row stopped (a clean stop: no one waits for it to look dead). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    await this.db.$executeRaw`UPDATE "EngineInstance" SET "stoppedAt" = now(), "leaderSince" = NULL WHERE id = ${this.id}::uuid`;
  }

  /** Records whether this engine leads (the lock decides; this is what others read). */
  async setLeader(leader: boolean): Promise<void> {
    await this.db.$executeRaw`UPDATE "EngineInstance" SET "leaderSince" = ${leader ? new Date() : null} WHERE id = ${this.id}::uuid`;
    if (leader) await this.db.$executeRaw`UPDATE "EngineInstance" SET "leaderSince" = NULL WHERE id <> ${this.id}::uuid`;
  }

  /** Engines alive now (heartbeat within DEAD_AFTER_MS and not stopped). */
  async live(): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM "EngineInstance"
      WHERE "stoppedAt" IS NULL AND "heartbeatAt" > now() - make_interval(secs => ${DEAD_AFTER_MS / 1000})`;
    return rows.map((r) => r.id);
  }

  /** Marks engines whose heartbeat stopped as stopped; returns their ids. */
  async buryDead(): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE "EngineInstance" SET "stoppedAt" = now(), "leaderSince" = NULL
      WHERE "stoppedAt" IS NULL AND "heartbeatAt" <= now() - make_interval(secs => ${DEAD_AFTER_MS / 1000})
      RETURNING id::text`;
    return rows.map((r) => r.id);
  }

  private async beat(): Promise<void> {
    await this.db.$executeRaw`UPDATE "EngineInstance" SET "heartbeatAt" = now(), "stoppedAt" = NULL WHERE id = ${this.id}::uuid`;
  }
}
