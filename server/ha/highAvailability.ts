// The engine's high availability: fencing of NonResponsive hosts and restarts of their highly
// available VMs, started together by `npm start` (and by tests that need them).
import type { Engine } from '../engine.ts';
import { HaRestarter, type HaRestarterOptions } from './haRestarter.ts';
import { HostFencer, type HostFencerOptions } from './hostFencer.ts';
import { LeaseRestarts, type LeaseRestartOptions } from './leaseRestarts.ts';

export interface HighAvailability {
  fencer: HostFencer;
  restarter: HaRestarter;
  leases: LeaseRestarts;
  stop(): Promise<void>;
}

export function startHighAvailability(
  engine: Engine,
  opts: { fencing?: HostFencerOptions; restarts?: HaRestarterOptions; leases?: LeaseRestartOptions } = {},
): HighAvailability {
  const leases = new LeaseRestarts(engine, opts.leases);
  const fencer = new HostFencer(engine, opts.fencing, leases);
  const restarter = new HaRestarter(engine, opts.restarts);
  fencer.start();
  restarter.start();
  leases.start();
  return {
    fencer,
    restarter,
    leases,
    async stop() {
      await leases.stop();
      await fencer.stop();
      await restarter.stop();
    },
  };
}
