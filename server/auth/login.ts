// Log-in: local accounts (argon2 hashes) and LDAP directory profiles, rate-limited, audited.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';
import type { Db } from '../db.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import type { DirectoryProfile } from './directoryConfig.ts';
import { authenticate, DirectoryError, type DirectoryUser } from './directory.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { openSession } from './sessions.ts';
import { VireoError } from '../errors.ts';

export const INTERNAL = 'internal';

export type LoginFailure = 'INVALID_CREDENTIALS' | 'ACCOUNT_DISABLED' | 'DIRECTORY_UNAVAILABLE' | 'TOO_MANY_ATTEMPTS' | 'UNKNOWN_PROFILE';

const MESSAGES: Record<LoginFailure, string> = {
  INVALID_CREDENTIALS: 'The user name or password is incorrect.',
  ACCOUNT_DISABLED: 'The account is disabled.',
  DIRECTORY_UNAVAILABLE: 'The directory server cannot be reached; try again later or use a local account.',
  TOO_MANY_ATTEMPTS: 'Too many failed log-in attempts; wait before trying again.',
  UNKNOWN_PROFILE: 'No such log-in profile.',
};

/** A log-in that did not succeed. The message never says whether the user exists. */
export class AuthenticationError extends VireoError {
  readonly code: LoginFailure;
  constructor(
    failure: LoginFailure,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(MESSAGES[failure]);
    this.name = 'AuthenticationError';
    this.code = failure;
  }
}

export interface LoginInput {
  userName: string;
  password: string;
  profile?: string;
  clientAddress: string;
}

export class LoginService {
  // Attempts per 5 minutes, counted before the password is checked (so concurrent tries cannot
  // race past the limit) and given back when they succeed or fail for another reason than the
  // credentials: 30 per client address, 5 per user name from one address, 50 per user name from
  // everywhere (so one client cannot lock a user, the administrator say, out from elsewhere).
  // Counted in Redis when one is given, so several engines share the counts.
  private readonly perClient: RateLimiterAbstract;
  private readonly perUserAndClient: RateLimiterAbstract;
  private readonly perUser: RateLimiterAbstract;
  private readonly redis: Redis | null;

  constructor(
    private readonly db: Db,
    private readonly profiles: DirectoryProfile[],
    redisUrl?: string,
  ) {
    this.redis = redisUrl ? new Redis(redisUrl) : null;
    const limiter = (keyPrefix: string, points: number) =>
      this.redis
        ? new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `vireo:login:${keyPrefix}`, points, duration: 300 })
        : new RateLimiterMemory({ keyPrefix, points, duration: 300 });
    this.perClient = limiter('client', 30);
    this.perUserAndClient = limiter('userClient', 5);
    this.perUser = limiter('user', 50);
  }

  async close(): Promise<void> {
    await this.redis?.quit();
  }

  profileNames(): string[] {
    return [INTERNAL, ...this.profiles.map((p) => p.name)];
  }

  async login(input: LoginInput) {
    const profile = input.profile ?? INTERNAL;
    const userKey = `${profile}/${input.userName.toLowerCase()}`;
    const keys = [
      [this.perClient, input.clientAddress],
      [this.perUserAndClient, `${userKey}|${input.clientAddress}`],
      [this.perUser, userKey],
    ] as const;
    const waitSeconds = await this.countAttempt(keys);
    if (waitSeconds !== null) return this.fail(input, profile, new AuthenticationError('TOO_MANY_ATTEMPTS', waitSeconds));
    try {
      const { userId, groupIds } = profile === INTERNAL ? await this.local(input) : await this.directory(profile, input);
      await this.perUserAndClient.delete(`${userKey}|${input.clientAddress}`);
      await Promise.all([this.perClient.reward(input.clientAddress, 1), this.perUser.reward(userKey, 1)]);
      const session = await openSession(this.db, userId, groupIds);
      const user = await this.db.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
      await writeAuditLog(this.db, { code: 'USER_VDC_LOGIN', vars: {}, userName: `${user.userName}@${user.domain}` });
      return { ...session, user };
    } catch (err) {
      if (!(err instanceof AuthenticationError) || (err.code !== 'INVALID_CREDENTIALS' && err.code !== 'ACCOUNT_DISABLED'))
        await Promise.all(keys.map(([limiter, key]) => limiter.reward(key, 1)));
      if (!(err instanceof AuthenticationError)) throw err;
      return this.fail(input, profile, err);
    }
  }

  /** Counts one attempt on each limiter in turn (each count is atomic); the seconds to wait when one refuses. */
  private async countAttempt(keys: readonly (readonly [RateLimiterAbstract, string])[]): Promise<number | null> {
    for (const [limiter, key] of keys) {
      try {
        await limiter.consume(key);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      }
    }
    return null;
  }

  private async fail(input: LoginInput, profile: string, err: AuthenticationError): Promise<never> {
    await writeAuditLog(this.db, {
      code: 'USER_VDC_LOGIN_FAILED',
      userName: '',
      vars: { loginName: `${input.userName}@${profile}`.slice(0, 200), reason: `${err.code} from ${input.clientAddress}` },
    });
    throw err;
  }

  private async local(input: LoginInput) {
    const user = await this.db.user.findUnique({ where: { domain_userName: { domain: INTERNAL, userName: input.userName } } });
    // Verify against a dummy hash for unknown users, so the answer takes as long either way.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
    if (!user?.passwordHash || !ok) throw new AuthenticationError('INVALID_CREDENTIALS');
    if (!user.active) throw new AuthenticationError('ACCOUNT_DISABLED');
    return { userId: user.id, groupIds: [] };
  }

  private async directory(profileName: string, input: LoginInput) {
    const profile = this.profiles.find((p) => p.name === profileName);
    if (!profile) throw new AuthenticationError('UNKNOWN_PROFILE');
    let found: DirectoryUser;
    try {
      found = await authenticate(profile, input.userName, input.password);
    } catch (err) {
      if (err instanceof DirectoryError) throw new AuthenticationError(err.failure);
      throw err;
    }
    const data = { displayName: found.displayName, email: found.email, externalId: found.dn };
    const user = await this.db.user.upsert({
      where: { domain_userName: { domain: profile.name, userName: found.userName } },
      create: { ...data, userName: found.userName, domain: profile.name },
      update: data,
    });
    if (!user.active) throw new AuthenticationError('ACCOUNT_DISABLED'); // disabled in Vireo
    const groupIds = [];
    for (const g of found.groups) {
      const group = await this.db.group.upsert({
        where: { domain_name: { domain: profile.name, name: g.name } },
        create: { domain: profile.name, name: g.name, externalId: g.dn },
        update: { externalId: g.dn },
      });
      groupIds.push(group.id);
    }
    return { userId: user.id, groupIds };
  }
}
