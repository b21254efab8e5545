// This engine among the engines sharing the database: its id, its row and heartbeat, and whether
// it is the leader (the one running the cluster-wide loops; server/cluster/leaderLoops.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import { EngineInstances } from './engineInstances.ts';
import { LeaderElection } from './leaderElection.ts';

export class EngineCluster {
  /** This engine process's id (EngineInstance.id, Job.engineId). */
  readonly id = randomUUID();
  readonly instances: EngineInstances;
  readonly election: LeaderElection;

  constructor(db: Db, opts: { url?: string; retryMs?: number } = {}) {
    this.instances = new EngineInstances(db, this.id);
    this.election = new LeaderElection({ ...opts });
    this.election.onChange((leader) => {
      console.log(leader ? `engine ${this.id} is now the leader` : `engine ${this.id} is no longer the leader`);
      this.instances.setLeader(leader).catch((e) => console.error('recording leadership:', e));
    });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  /** Registers this engine and takes part in the election; resolves after the first try. */
  async start(): Promise<void> {
    await this.instances.start();
    await this.election.start();
  }

  /** Leaves the election (another engine leads at once) and marks this engine stopped. */
  async stop(): Promise<void> {
    await this.election.stop();
    await this.instances.stop();
  }
}
