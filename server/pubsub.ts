import { createPubSub } from 'graphql-yoga';

/** What changed, published after the change is committed. Payloads are JSON (Redis-safe). */
export interface EntityChange {
  id: string;
  kind: 'created' | 'updated' | 'removed';
}

export type Topics = {
  'dataCenter:changed': [payload: EntityChange];
  'cluster:changed': [payload: EntityChange];
  'host:changed': [payload: EntityChange];
  'storageDomain:changed': [payload: EntityChange];
  'network:changed': [payload: EntityChange];
  'vm:changed': [payload: EntityChange];
  'audit:created': [payload: { id: string }];
};

export type Topic = keyof Topics;

export function createEnginePubSub() {
  return createPubSub<Topics>();
}

export type PubSub = ReturnType<typeof createEnginePubSub>;
