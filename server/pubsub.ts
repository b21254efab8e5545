import { createPubSub, FixedBuffer, Repeater, SlidingBuffer } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { setMaxListeners } from 'node:events';
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
  /** An alert rule was added, changed or removed: evaluators read the rules again. */
  'alertRule:changed': [payload: EntityChange];
  /** An alert fired (created) or was resolved (updated). */
  'alert:changed': [payload: EntityChange];
  /** A webhook was made, changed or removed: its subscription is restarted or stopped. */
  'webhook:changed': [payload: EntityChange];
  /** A grant or revocation: live subscriptions recheck what their subscriber may see. */
  'permission:changed': [payload: EntityChange];
  /** Stats are routed by cluster: a dashboard gets its cluster's samples, not every host's. */
  'host:stats': [clusterId: string, payload: HostStatsEvent];
  'vm:stats': [clusterId: string, payload: VmStatsEvent];
  'job:progress': [payload: JobProgressEvent];
  /** A source host's word on an outgoing migration: progress, or why it failed. */
  'vm:migration': [payload: { vmId: string; hostId: string; progress?: number; error?: string }];
  /** VMs of a host were set Down with highly available ones to restart (HaRestart rows): the HA restarter looks now. */
  'ha:restart': [payload: { hostId: string }];
  /** Engine → agent of one host. */
  'agent:command': [hostId: string, payload: CommandEnvelope];
  /** Agent → the engine instance that sent the command. */
  'agent:commandResult': [payload: CommandResult];
};

export type Topic = keyof Topics;

/** Latest-value topics: a subscriber that falls behind loses its oldest samples. */
const STATS_TOPICS: ReadonlySet<Topic> = new Set<Topic>(['host:stats', 'vm:stats']);

/** Samples one stats subscriber may have waiting; beyond it the oldest are dropped. */
export const STATS_BACKLOG = 1000;

/**
 * In memory by default; through Redis when REDIS_URL is set, so several engines share events.
 * `close()` ends the Redis connections (nothing to do in memory).
 */
export function createEnginePubSub(redisUrl = process.env.REDIS_URL) {
  if (!redisUrl) {
    const target = new EventTarget();
    setMaxListeners(Number.POSITIVE_INFINITY, target); // one listener per subscriber: thousands are normal
    return boundStats(target, async () => {});
  }
  const publishClient = new Redis(redisUrl);
  const subscribeClient = new Redis(redisUrl);
  return boundStats(createRedisEventTarget({ publishClient, subscribeClient }), async () => {
    await Promise.all([publishClient.quit(), subscribeClient.quit()]);
  });
}

/** Changes one subscriber may have waiting (a host's first report can name thousands of new VMs). */
export const CHANGES_BACKLOG = 100_000;

/**
 * Yoga's pub/sub, except that every subscriber's backlog is bounded by a buffer: without one, a
 * subscriber that has not caught up holds each event published since, and at 1,024 waiting the
 * repeater throws inside the publisher's event dispatch, which ends the process. A stats
 * subscriber that falls behind loses its oldest samples; a change subscriber 100,000 behind
 * loses the newest (said once in the log).
 */
function boundStats(eventTarget: EventTarget, close: () => Promise<void>) {
  const pubsub = createPubSub<Topics>({ eventTarget: eventTarget as never });
  let warned = false;
  const bounded = ((...args: [Topic, ...unknown[]]) => {
    const [topic, id] = args;
    const type = args.length === 2 ? `${topic}:${String(id)}` : topic; // as createPubSub names a routed topic
    const stats = STATS_TOPICS.has(topic);
    return new Repeater(
      (push, stop) => {
        const listener = (event: Event) => {
          try {
            void push((event as CustomEvent).detail);
          } catch (e) {
            if (!warned) console.error(`a subscriber of ${topic} fell ${CHANGES_BACKLOG} events behind; newer ones are dropped:`, e);
            warned = true;
          }
        };
        eventTarget.addEventListener(type, listener);
        void stop.then(() => eventTarget.removeEventListener(type, listener));
      },
      stats ? new SlidingBuffer(STATS_BACKLOG) : new FixedBuffer(CHANGES_BACKLOG),
    );
  }) as typeof pubsub.subscribe;
  return Object.assign(pubsub, { subscribe: bounded, close });
}

export type PubSub = ReturnType<typeof createEnginePubSub>;
