// The engine's high availability: fencing of NonResponsive hosts and restarts of their highly
// available VMs, started together by `npm start` (and by tests that need them).
import type { Engine } from '../engine.ts';
import { HaRestarter, type HaRestarterOptions } from './haRestarter.ts';
import { HostFencer, type HostFencerOptions } from './hostFencer.ts';
import { LeaseRestarts, type LeaseRestartOptions } from './leaseRestarts.ts';
import { HaReservationWatch } from './haReservationWatch.ts';

export interface HighAvailability {
  fencer: HostFencer;
  restarter: HaRestarter;
  leases: LeaseRestarts;
  reservation: HaReservationWatch;
  stop(): Promise<void>;
}

export function startHighAvailability(
  engine: Engine,
  opts: {
    fencing?: HostFencerOptions;
    restarts?: HaRestarterOptions;
    leases?: LeaseRestartOptions;
    /** How often clusters' HA reservation is checked (default 60 s). */
    reservationCheckMs?: number;
  } = {},
): HighAvailability {
  const leases = new LeaseRestarts(engine, opts.leases);
  const fencer = new HostFencer(engine, opts.fencing, leases);
  const restarter = new HaRestarter(engine, opts.restarts);
  fencer.start();
  restarter.start();
  const reservation = new HaReservationWatch(engine, opts.reservationCheckMs);
  leases.start();
  reservation.start();
  return {
    fencer,
    restarter,
    leases,
    reservation,
    async stop() {
      await reservation.stop();
      await leases.stop();
      await fencer.stop();
      await restarter.stop();
    },
  };
}
