// An election that fails (the database cannot start a transaction under load) fails its caller
// and nothing else: before, the bookkeeping's own promise rejected unhandled and killed the engine.
import { expect, it } from 'vitest';
import type { HostBroker } from '../agents/hostBroker.ts';
import type { Db } from '../db.ts';
import { createEnginePubSub } from '../pubsub.ts';
import { SpmElection } from './spm.ts';

it('a failed election rejects spmOf only, with no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const db = {
      host: { findMany: async () => [{ id: 'h1', name: 'h1', status: 'UP', spm: false }] },
      dataCenter: { findUniqueOrThrow: async () => ({ name: 'dc' }) },
      $transaction: async () => {
        throw new Error('Transaction API error: Unable to start a transaction in the given time.');
      },
    } as unknown as Db;
    const hosts = { isConnected: () => true, reachable: () => true } as unknown as HostBroker;
    const spm = new SpmElection(db, createEnginePubSub(''), hosts);
    await expect(spm.spmOf('dc1')).rejects.toThrow('Unable to start a transaction');
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
