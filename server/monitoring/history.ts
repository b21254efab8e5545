// Every sample goes to the raw history tables, buffered and written in batches: one INSERT per
// table per flush, each column sent as one array and unnested by PostgreSQL. (Prisma's
// createMany cost ~600 ms of CPU per 2,000 rows, blocking the event loop; this costs ~6 ms.)
import type { Db } from '../db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { AgentReport } from '../../protocol/messages.ts';
import { PeriodicFlush } from './periodicFlush.ts';

export class SampleBuffer extends PeriodicFlush {
  private hosts: Prisma.HostSampleCreateManyInput[] = [];
  private vms: Prisma.VmSampleCreateManyInput[] = [];

  constructor(
    private readonly db: Db,
    private readonly maxRows = 2000,
  ) {
    super();
  }

  add(hosts: Prisma.HostSampleCreateManyInput[], vms: Prisma.VmSampleCreateManyInput[]) {
    this.hosts.push(...hosts);
    this.vms.push(...vms);
    if (this.hosts.length + this.vms.length >= this.maxRows) void this.flush();
  }

  get pending() {
    return this.hosts.length + this.vms.length;
  }

  /** Writes what is buffered; flushes run one after another. */
  flush(): Promise<void> {
    const hosts = this.hosts;
    const vms = this.vms;
    this.hosts = [];
    this.vms = [];
    return this.queue(async () => {
      if (!hosts.length && !vms.length) return;
      try {
        await this.db.$transaction([...insertHostSamples(this.db, hosts), ...insertVmSamples(this.db, vms)]);
      } catch (err) {
        console.error(`history: dropped ${hosts.length + vms.length} samples:`, err);
      }
    });
  }
}

/** A report's history rows: the host's sample and those of the VMs in `sampled` that run. */
export function reportSamples(
  hostId: string,
  report: AgentReport,
  sampledAt: Date,
  sampled: ReadonlySet<string>,
): { hosts: HostRow[]; vms: VmRow[] } {
  const h = report.host;
  const running = report.domains.filter((d) => d.state !== 'DOWN');
  return {
    hosts: [
      {
        hostId,
        sampledAt,
        cpuPercent: h.cpuUserPercent + h.cpuSysPercent,
        cpuLoad: h.cpuLoad,
        memUsedMb: h.memUsedMb,
        memFreeMb: h.memFreeMb,
        swapUsedMb: h.swapUsedMb,
        netRxBps: h.netRxBps,
        netTxBps: h.netTxBps,
        runningVms: running.length,
      },
    ],
    vms: running
      .filter((d) => sampled.has(d.id))
      .map((d) => ({
        vmId: d.id,
        hostId,
        sampledAt,
        cpuPercent: d.sample.cpuPercent,
        memUsedMb: d.guest?.memUsedMb ?? 0,
        netRxBps: d.sample.netRxBps,
        netTxBps: d.sample.netTxBps,
        diskReadBps: d.sample.diskReadBps,
        diskWriteBps: d.sample.diskWriteBps,
      })),
  };
}

type HostRow = Prisma.HostSampleCreateManyInput;
type VmRow = Prisma.VmSampleCreateManyInput;
const iso = (d: Date | string) => new Date(d).toISOString();

function insertHostSamples(db: Db, rows: HostRow[]) {
  if (!rows.length) return [];
  const c = <K extends keyof HostRow>(k: K) => rows.map((r) => r[k]);
  return [
    db.$executeRaw`INSERT INTO "HostSample" ("hostId", "sampledAt", "cpuPercent", "cpuLoad", "memUsedMb", "memFreeMb", "swapUsedMb", "netRxBps", "netTxBps", "runningVms")
    SELECT * FROM unnest(${c('hostId')}::uuid[], ${rows.map((r) => iso(r.sampledAt))}::timestamptz[], ${c('cpuPercent')}::float8[], ${c('cpuLoad')}::float8[],
      ${c('memUsedMb')}::int[], ${c('memFreeMb')}::int[], ${c('swapUsedMb')}::int[], ${c('netRxBps')}::float8[], ${c('netTxBps')}::float8[], ${c('runningVms')}::int[])`,
  ];
}

function insertVmSamples(db: Db, rows: VmRow[]) {
  if (!rows.length) return [];
  const c = <K extends keyof VmRow>(k: K) => rows.map((r) => r[k] ?? null);
  return [
    db.$executeRaw`INSERT INTO "VmSample" ("vmId", "hostId", "sampledAt", "cpuPercent", "memUsedMb", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps")
    SELECT * FROM unnest(${c('vmId')}::uuid[], ${c('hostId')}::uuid[], ${rows.map((r) => iso(r.sampledAt))}::timestamptz[], ${c('cpuPercent')}::float8[],
      ${c('memUsedMb')}::int[], ${c('netRxBps')}::float8[], ${c('netTxBps')}::float8[], ${c('diskReadBps')}::float8[], ${c('diskWriteBps')}::float8[])`,
  ];
}
