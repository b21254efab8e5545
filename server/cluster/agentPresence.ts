// Which hosts' agents hold a command channel on some engine. Each engine knows its own sessions;
// with Redis it also writes them to a sorted set (member `<host id>|<engine id>`, score = when the
// entry expires, by Redis's clock), renewed every RENEW_MS while the session lasts and removed when
// it ends, and reads every engine's entries as often: an engine that dies stops renewing, so its
// agents count as connected nowhere within EXPIRY_MS (or sooner, once they connect elsewhere).
import { Redis } from 'ioredis';

export const RENEW_MS = 1000;
export const EXPIRY_MS = 5000;
const KEY = 'vireo:agents';

export interface AgentPresence {
  /** Whether the host's agent has a command channel open on another engine (as last read). */
  elsewhere(hostId: string): boolean;
  /** A session of the host's agent opened (true) or the last one closed (false) on this engine. */
  set(hostId: string, connected: boolean): void;
  close(): Promise<void>;
}

/** One engine alone: no other engine holds agents. */
export const NO_OTHER_ENGINES: AgentPresence = {
  elsewhere: () => false,
  set: () => {},
  close: async () => {},
};

export class RedisAgentPresence implements AgentPresence {
  private readonly redis: Redis;
  private readonly mine = new Set<string>();
  /** Hosts with a live entry of another engine, as of the last read. */
  private others = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    url: string,
    private readonly engineId: string,
  ) {
    this.redis = new Redis(url);
    this.timer = setInterval(() => {
      this.renewing = this.renew().catch((e) => console.error('agent presence:', e));
    }, RENEW_MS);
    this.timer.unref();
    this.renewing = this.renew().catch((e) => console.error('agent presence:', e));
  }

  elsewhere(hostId: string): boolean {
    return this.others.has(hostId);
  }

  set(hostId: string, connected: boolean): void {
    const member = `${hostId}|${this.engineId}`;
    if (connected) {
      this.mine.add(hostId);
      void this.expiry()
        .then((at) => this.redis.zadd(KEY, at, member))
        .catch((e) => console.error('agent presence:', e));
    } else {
      this.mine.delete(hostId);
      void this.redis.zrem(KEY, member).catch((e) => console.error('agent presence:', e));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (this.mine.size) await this.redis.zrem(KEY, ...[...this.mine].map((h) => `${h}|${this.engineId}`)).catch(() => 0);
    await this.redis.quit();
  }

  private async renew(): Promise<void> {
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const batch = this.redis.multi();
    for (const hostId of this.mine) batch.zadd(KEY, now + EXPIRY_MS, `${hostId}|${this.engineId}`);
    batch.zremrangebyscore(KEY, '-inf', now);
    batch.zrangebyscore(KEY, now, '+inf');
    const results = await batch.exec();
    const members = (results?.[results.length - 1]?.[1] ?? []) as string[];
    const others = new Set<string>();
    for (const m of members) {
      const [hostId, engineId] = m.split('|');
      if (hostId && engineId !== this.engineId) others.add(hostId);
    }
    this.others = others;
  }

  private async expiry(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + EXPIRY_MS;
  }
}
