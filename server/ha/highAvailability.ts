// The engine's high availability: fencing of NonResponsive hosts and restarts of their highly
// available VMs, started together by `npm start` (and by tests that need them).
import type { Engine } from '../engine.ts';
import { HaRestarter, type HaRestarterOptions } from './haRestarter.ts';
import { HostFencer, type HostFencerOptions } from './hostFencer.ts';

export interface HighAvailability {
  fencer: HostFencer;
  restarter: HaRestarter;
  stop(): Promise<void>;
}

export function startHighAvailability(
  engine: Engine,
  opts: { fencing?: HostFencerOptions; restarts?: HaRestarterOptions } = {},
): HighAvailability {
  const fencer = new HostFencer(engine, opts.fencing);
  const restarter = new HaRestarter(engine, opts.restarts);
  fencer.start();
  restarter.start();
  return {
    fencer,
    restarter,
    async stop() {
      await fencer.stop();
      await restarter.stop();
    },
  };
}
