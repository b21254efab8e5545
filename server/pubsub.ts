import { createPubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { CommandEnvelope, CommandResult, HostSample, VmSample } from '../protocol/messages.ts';

/** What changed, published after the change is committed. Payloads are JSON (Redis-safe). */
export interface EntityChange {
  id: string;
  kind: 'created' | 'updated' | 'removed';
}

/** A host's latest sample as it streams to subscribers (`sampledAt` is ISO-8601). */
export interface HostStatsEvent extends HostSample {
  hostId: string;
  clusterId: string;
  runningVms: number;
  sampledAt: string;
}

/** A VM's latest sample with its guest-agent data (`sampledAt` is ISO-8601). */
export interface VmStatsEvent extends VmSample {
  vmId: string;
  hostId: string;
  clusterId: string;
  memUsedMb: number;
  guestHostname: string;
  guestIps: string[];
  guestApps: string[];
  guestUser: string;
  sampledAt: string;
}

export interface JobProgressEvent {
  id: string;
  progress: number | null;
}

export type Topics = {
  'dataCenter:changed': [payload: EntityChange];
  'cluster:changed': [payload: EntityChange];
  'host:changed': [payload: EntityChange];
  'storageDomain:changed': [payload: EntityChange];
  'network:changed': [payload: EntityChange];
  'vm:changed': [payload: EntityChange];
  'audit:created': [payload: { id: string }];
  /** A grant or revocation: live subscriptions recheck what their subscriber may see. */
  'permission:changed': [payload: EntityChange];
  'host:stats': [payload: HostStatsEvent];
  'vm:stats': [payload: VmStatsEvent];
  'job:progress': [payload: JobProgressEvent];
  /** A source host's word on an outgoing migration: progress, or why it failed. */
  'vm:migration': [payload: { vmId: string; hostId: string; progress?: number; error?: string }];
  /** Engine → agent of one host. */
  'agent:command': [hostId: string, payload: CommandEnvelope];
  /** Agent → the engine instance that sent the command. */
  'agent:commandResult': [payload: CommandResult];
};

export type Topic = keyof Topics;

/**
 * In memory by default; through Redis when REDIS_URL is set, so several engines share events.
 * `close()` ends the Redis connections (nothing to do in memory).
 */
export function createEnginePubSub(redisUrl = process.env.REDIS_URL) {
  if (!redisUrl) return Object.assign(createPubSub<Topics>(), { close: async () => {} });
  const publishClient = new Redis(redisUrl);
  const subscribeClient = new Redis(redisUrl);
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return Object.assign(createPubSub<Topics>({ eventTarget }), {
    close: async () => { await Promise.all([publishClient.quit(), subscribeClient.quit()]); },
  });
}

export type PubSub = ReturnType<typeof createEnginePubSub>;
