// Host, VM and storage domain figures for Prometheus, read from the database when scraped (so every
// engine behind Redis answers for the whole fleet): each host's and VM's latest sample, labelled
// by cluster and name, its status, and each storage domain's size and use.
import { Gauge, type OpenMetricsContentType, type Registry } from 'prom-client';
import type { Db } from '../db.ts';
import type { LiveStats } from '../monitoring/liveStats.ts';

const MIB = 1024 * 1024;

/** The registries a metric is in (one per exposition format). */
export type Registers = (Registry | Registry<OpenMetricsContentType>)[];

type HostLabel = 'cluster' | 'host';
type VmLabel = 'cluster' | 'vm' | 'host';

interface FigureSpec<Row> {
  name: string;
  help: string;
  value: (row: Row) => number;
}

interface HostRow {
  cluster: string;
  host: string;
  s: {
    cpuUserPercent: number;
    cpuSysPercent: number;
    cpuLoad: number;
    memUsedMb: number;
    memFreeMb: number;
    swapUsedMb: number;
    netRxBps: number;
    netTxBps: number;
    runningVms: number;
  };
}
interface VmRow {
  cluster: string;
  vm: string;
  host: string;
  s: {
    cpuPercent: number;
    memUsedMb: number;
    netRxBps: number;
    netTxBps: number;
    diskReadBps: number;
    diskWriteBps: number;
    uptimeSeconds: number;
  };
}

const HOST_FIGURES: FigureSpec<HostRow>[] = [
  {
    name: 'vireo_host_cpu_percent',
    help: 'Host CPU in use (user + system), percent.',
    value: (r) => r.s.cpuUserPercent + r.s.cpuSysPercent,
  },
  { name: 'vireo_host_cpu_load', help: 'Host CPU load average.', value: (r) => r.s.cpuLoad },
  { name: 'vireo_host_memory_used_bytes', help: 'Host memory in use.', value: (r) => r.s.memUsedMb * MIB },
  { name: 'vireo_host_memory_free_bytes', help: 'Host memory free.', value: (r) => r.s.memFreeMb * MIB },
  { name: 'vireo_host_swap_used_bytes', help: 'Host swap in use.', value: (r) => r.s.swapUsedMb * MIB },
  { name: 'vireo_host_network_receive_bytes_per_second', help: 'Host network receive rate.', value: (r) => r.s.netRxBps },
  { name: 'vireo_host_network_transmit_bytes_per_second', help: 'Host network transmit rate.', value: (r) => r.s.netTxBps },
  { name: 'vireo_host_running_vms', help: 'VMs running on the host.', value: (r) => r.s.runningVms },
];

const VM_FIGURES: FigureSpec<VmRow>[] = [
  { name: 'vireo_vm_cpu_percent', help: 'VM CPU in use, percent of its vCPUs.', value: (r) => r.s.cpuPercent },
  { name: 'vireo_vm_memory_used_bytes', help: 'VM memory in use, as its guest agent reports it.', value: (r) => r.s.memUsedMb * MIB },
  { name: 'vireo_vm_network_receive_bytes_per_second', help: 'VM network receive rate.', value: (r) => r.s.netRxBps },
  { name: 'vireo_vm_network_transmit_bytes_per_second', help: 'VM network transmit rate.', value: (r) => r.s.netTxBps },
  { name: 'vireo_vm_disk_read_bytes_per_second', help: 'VM disk read rate.', value: (r) => r.s.diskReadBps },
  { name: 'vireo_vm_disk_write_bytes_per_second', help: 'VM disk write rate.', value: (r) => r.s.diskWriteBps },
  { name: 'vireo_vm_uptime_seconds', help: 'Time since the VM started.', value: (r) => r.s.uptimeSeconds },
];

/** One read of the inventory per scrape, shared by every gauge of that scrape. */
function perScrape<T>(read: () => Promise<T>) {
  let current: Promise<T> | null = null;
  return () => {
    current ??= read().finally(() => {
      setTimeout(() => {
        current = null;
      }, 0);
    });
    return current;
  };
}

/** `live`: the latest stats in memory, read before the database's rows (written in batches). */
export function registerInventoryGauges(registers: Registers, db: Db, live: LiveStats) {
  const hosts = perScrape(async () =>
    (
      await db.host.findMany({
        select: { id: true, name: true, status: true, cluster: { select: { name: true } }, statistics: true },
        orderBy: { name: 'asc' },
      })
    ).map((h) => ({ cluster: h.cluster.name, host: h.name, status: h.status, s: live.host(h.id) ?? h.statistics })),
  );
  const vms = perScrape(async () =>
    (
      await db.vm.findMany({
        select: {
          id: true,
          name: true,
          status: true,
          cluster: { select: { name: true } },
          host: { select: { name: true } },
          statistics: true,
        },
        orderBy: { name: 'asc' },
      })
    ).map((v) => ({ cluster: v.cluster.name, vm: v.name, host: v.host?.name ?? '', status: v.status, s: live.vm(v.id) ?? v.statistics })),
  );
  const domains = perScrape(() =>
    db.storageDomain.findMany({
      select: { name: true, status: true, capacityBytes: true, usedBytes: true, dataCenter: { select: { name: true } } },
      orderBy: { name: 'asc' },
    }),
  );

  for (const f of HOST_FIGURES) {
    new Gauge<HostLabel>({
      name: f.name,
      help: f.help,
      labelNames: ['cluster', 'host'],
      registers,
      async collect() {
        this.reset();
        for (const h of await hosts()) if (h.s) this.set({ cluster: h.cluster, host: h.host }, f.value(h as HostRow));
      },
    });
  }
  new Gauge<HostLabel | 'status'>({
    name: 'vireo_host_status',
    help: "Always 1, labelled with the host's status (UP, NON_RESPONSIVE, MAINTENANCE…).",
    labelNames: ['cluster', 'host', 'status'],
    registers,
    async collect() {
      this.reset();
      for (const h of await hosts()) this.set({ cluster: h.cluster, host: h.host, status: h.status }, 1);
    },
  });
  for (const f of VM_FIGURES) {
    new Gauge<VmLabel>({
      name: f.name,
      help: f.help,
      labelNames: ['cluster', 'vm', 'host'],
      registers,
      async collect() {
        this.reset();
        // A VM that is not running has no current figures: its last sample is not shown as current.
        for (const v of await vms()) if (v.s && v.host) this.set({ cluster: v.cluster, vm: v.vm, host: v.host }, f.value(v as VmRow));
      },
    });
  }
  new Gauge<'cluster' | 'vm' | 'status'>({
    name: 'vireo_vm_status',
    help: "Always 1, labelled with the VM's status (UP, DOWN, PAUSED…).",
    labelNames: ['cluster', 'vm', 'status'],
    registers,
    async collect() {
      this.reset();
      for (const v of await vms()) this.set({ cluster: v.cluster, vm: v.vm, status: v.status }, 1);
    },
  });
  const domainGauge = (name: string, help: string, value: (d: Awaited<ReturnType<typeof domains>>[number]) => bigint) =>
    new Gauge<'data_center' | 'storage_domain'>({
      name,
      help,
      labelNames: ['data_center', 'storage_domain'],
      registers,
      async collect() {
        this.reset();
        for (const d of await domains()) this.set({ data_center: d.dataCenter?.name ?? '', storage_domain: d.name }, Number(value(d)));
      },
    });
  domainGauge('vireo_storage_domain_capacity_bytes', 'Storage domain size.', (d) => d.capacityBytes);
  domainGauge('vireo_storage_domain_used_bytes', 'Storage domain space in use.', (d) => d.usedBytes);
}
