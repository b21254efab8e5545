// What the warehouse rolls up: per kind of object (host, VM, storage domain), its raw sample table, its hourly and daily
// tables and the figures each holds (every figure as mean, max and min: `<figure>Avg` …).
import { Prisma } from '../../generated/prisma/client.ts';

export interface SampleKind {
  /** The raw samples' table, and the column naming the object. */
  samples: string;
  key: 'hostId' | 'vmId' | 'storageDomainId';
  hourly: string;
  daily: string;
  figures: readonly string[];
  /** Figures that are whole numbers (memory in MiB, VM counts): their means are rounded when read. */
  whole: readonly string[];
}

export const HOST: SampleKind = {
  samples: 'HostSample',
  key: 'hostId',
  hourly: 'HostStatsHourly',
  daily: 'HostStatsDaily',
  figures: ['cpuPercent', 'cpuLoad', 'memUsedMb', 'memFreeMb', 'swapUsedMb', 'netRxBps', 'netTxBps', 'runningVms'],
  whole: ['memUsedMb', 'memFreeMb', 'swapUsedMb', 'runningVms'],
};

export const VM: SampleKind = {
  samples: 'VmSample',
  key: 'vmId',
  hourly: 'VmStatsHourly',
  daily: 'VmStatsDaily',
  figures: ['cpuPercent', 'memUsedMb', 'netRxBps', 'netTxBps', 'diskReadBps', 'diskWriteBps'],
  whole: ['memUsedMb'],
};

export const STORAGE_DOMAIN: SampleKind = {
  samples: 'StorageDomainSample',
  key: 'storageDomainId',
  hourly: 'StorageDomainStatsHourly',
  daily: 'StorageDomainStatsDaily',
  figures: ['usedBytes', 'capacityBytes'],
  whole: [],
};

export const KINDS = [HOST, VM, STORAGE_DOMAIN] as const;

/** A quoted identifier for a name from the constants above (never user input). */
export const ident = (name: string) => Prisma.raw(`"${name}"`);

/** PostgreSQL's bin of a timestamp into UTC hours or days. */
export const bin = (width: '1 hour' | '1 day', column: Prisma.Sql) =>
  Prisma.sql`date_bin(${Prisma.raw(`'${width}'`)}, ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
