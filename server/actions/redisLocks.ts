// Action locks shared by every engine through Redis. A lock is a key `vireo:lock:<key>` holding
// its owner and title, set with an expiry that the engine holding it renews every few seconds:
// when that engine dies (kill -9), its locks are gone within LOCK_TTL_MS. All of an action's keys
// are taken, or none, in one Lua script (atomic in Redis).
import { Redis } from 'ioredis';
import type { ActionLocks } from './locks.ts';

export const LOCK_TTL_MS = 10_000;
const PREFIX = 'vireo:lock:';

// KEYS: the lock keys; ARGV: value, ttl. Returns the first key held, or nothing after taking all.
const ACQUIRE = `
for _, k in ipairs(KEYS) do if redis.call('EXISTS', k) == 1 then return k end end
for _, k in ipairs(KEYS) do redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) end
return false`;
// KEYS: the lock keys; ARGV: value. Deletes those still holding that value.
const RELEASE = `
for _, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end end
return 1`;
// KEYS: the lock keys; ARGV: value, ttl. Renews those still holding that value.
const RENEW = `
for _, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[1] then redis.call('PEXPIRE', k, ARGV[2]) end end
return 1`;

export class RedisLocks implements ActionLocks {
  private readonly redis: Redis;
  /** Locks this engine holds: owner → its keys and the value stored under them. */
  private readonly mine = new Map<string, { keys: string[]; value: string }>();
  private readonly timer: NodeJS.Timeout;

  /** `ttlMs`: how long a lock outlives the last renewal of its engine (tests shorten it). */
  constructor(
    url: string,
    private readonly ttlMs = LOCK_TTL_MS,
  ) {
    this.redis = new Redis(url);
    this.timer = setInterval(() => void this.renew(), ttlMs / 3);
    this.timer.unref();
  }

  async tryAcquire(keys: string[], owner: string, title = ''): Promise<string | null> {
    if (!keys.length) return null;
    const value = JSON.stringify({ owner, title });
    const busy = (await this.redis.eval(ACQUIRE, keys.length, ...keys.map((k) => PREFIX + k), value, this.ttlMs)) as string | null;
    if (busy) return busy.slice(PREFIX.length);
    this.mine.set(owner, { keys, value });
    return null;
  }

  async isHeld(key: string): Promise<boolean> {
    return (await this.redis.exists(PREFIX + key)) === 1;
  }

  async holder(key: string): Promise<string | null> {
    const value = await this.redis.get(PREFIX + key);
    return value ? (JSON.parse(value) as { title: string }).title : null;
  }

  async release(keys: string[], owner: string): Promise<void> {
    const held = this.mine.get(owner);
    if (!held) return;
    this.mine.delete(owner);
    const gone = keys.filter((k) => held.keys.includes(k));
    if (gone.length) await this.redis.eval(RELEASE, gone.length, ...gone.map((k) => PREFIX + k), held.value);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.quit();
  }

  private async renew(): Promise<void> {
    for (const { keys, value } of this.mine.values()) {
      try {
        await this.redis.eval(RENEW, keys.length, ...keys.map((k) => PREFIX + k), value, this.ttlMs);
      } catch (e) {
        console.error('renewing action locks:', e);
      }
    }
  }
}
