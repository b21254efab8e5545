// Figures the benchmarks report: percentiles and /proc readings of CPU and memory.
import fs from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

/** Nearest-rank percentile of unsorted values (NaN when empty). */
export function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** CPU seconds (user+system) and resident MiB of a process, from /proc. */
export function procStat(pid: number): { cpuS: number; rssMb: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuS = (Number(f[11]) + Number(f[12])) / TICKS; // utime, stime (fields 14, 15)
    const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuS, rssMb: Number(rss ?? 0) / 1024 };
  } catch {
    return null;
  }
}

/** The same, summed over several processes (several engines); null when none of them is there. */
export function procsStat(pids: readonly number[]): { cpuS: number; rssMb: number } | null {
  const each = pids.map(procStat).filter((s) => s !== null);
  return each.length ? { cpuS: each.reduce((a, s) => a + s.cpuS, 0), rssMb: each.reduce((a, s) => a + s.rssMb, 0) } : null;
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineStat(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3]! - (cpu[4] ?? 0), total };
}

/** Samples a process (or several, summed) every second: CPU % of one core (mean over the window) and peak RSS. */
export class ProcMeter {
  private readonly pids: readonly number[];
  private readonly start: { cpuS: number; rssMb: number } | null;
  private readonly m0 = machineStat();
  private readonly t0 = performance.now();
  private peakRss: number;
  private readonly timer: NodeJS.Timeout;
  constructor(pid: number | readonly number[]) {
    this.pids = typeof pid === 'number' ? [pid] : pid;
    this.start = procsStat(this.pids);
    this.peakRss = this.start?.rssMb ?? 0;
    this.timer = setInterval(() => {
      const s = procsStat(this.pids);
      if (s) this.peakRss = Math.max(this.peakRss, s.rssMb);
    }, 1000);
    this.timer.unref();
  }
  /** cpu: % of one core; machine: % of all cores busy (every process, ours and others'). */
  stop() {
    clearInterval(this.timer);
    const end = procsStat(this.pids);
    const m1 = machineStat();
    const secs = (performance.now() - this.t0) / 1000;
    return {
      cpuPct: end && this.start ? (100 * (end.cpuS - this.start.cpuS)) / secs : NaN,
      rssMb: Math.max(this.peakRss, end?.rssMb ?? 0),
      machinePct: (100 * (m1.busy - this.m0.busy)) / Math.max(1, m1.total - this.m0.total),
    };
  }
}
