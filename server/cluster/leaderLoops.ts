// The cluster-wide loops (watchdog, fencing and HA restarts, balancer, SPM election, history
// rollups and retention, report schedules, webhooks, recovery of dead engines' actions) run on the
// leader only: started when this engine becomes leader, stopped when it stops being one.
import type { LeaderElection } from './leaderElection.ts';

export interface LeaderLoop {
  name: string;
  start(): void;
  stop(): Promise<void> | void;
}

export interface LeaderLoops {
  /** Names of the loops running here now (none on a follower). */
  running(): string[];
  /** Stops the loops (engine shutdown); leadership changes no longer start them. */
  stop(): Promise<void>;
}

export function runWhileLeader(election: LeaderElection, loops: LeaderLoop[]): LeaderLoops {
  let active = false;
  let stopped = false;
  let changing: Promise<void> = Promise.resolve();
  const startAll = () => {
    for (const loop of loops) {
      try {
        loop.start();
      } catch (e) {
        console.error(`starting ${loop.name}:`, e);
      }
    }
    active = true;
  };
  const stopAll = async () => {
    active = false;
    for (const loop of loops) {
      try {
        await loop.stop();
      } catch (e) {
        console.error(`stopping ${loop.name}:`, e);
      }
    }
  };
  election.onChange((leader) => {
    changing = changing.then(async () => {
      if (stopped || leader === active) return;
      if (leader) startAll();
      else await stopAll();
    });
  });
  return {
    running: () => (active ? loops.map((l) => l.name) : []),
    async stop() {
      stopped = true;
      await changing;
      if (active) await stopAll();
    },
  };
}
