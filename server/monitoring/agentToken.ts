// Per-host agent tokens: 32 random bytes shown once to the administrator; only a SHA-256 is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The prefix names what the token is, and keeps it from starting with "-" (base64url can), which
 * `npm run agent -- --token …` would take for another option.
 */
export const AGENT_TOKEN_PREFIX = 'vireo_agent_';

export function newAgentToken(): { token: string; hash: string } {
  const token = `${AGENT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashAgentToken(token) };
}

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of a presented token with the stored hash. */
export function agentTokenMatches(token: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashAgentToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
