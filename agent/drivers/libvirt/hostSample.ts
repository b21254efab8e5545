// The host's own load, memory and network from /proc (what VDSM reads too), as rates between calls.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { HostSample } from '../../../protocol/messages.ts';

interface Counters {
  at: number;
  user: number;
  sys: number;
  idle: number;
  total: number;
  rx: number;
  tx: number;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function counters(): Counters {
  const cpu = read('/proc/stat').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
  let rx = 0;
  let tx = 0;
  for (const line of read('/proc/net/dev').split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name!.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return {
    at: Date.now(),
    user: user + nice,
    sys: sys + irq + softirq + steal,
    idle: idle + iowait,
    total: user + nice + sys + idle + iowait + irq + softirq + steal,
    rx,
    tx,
  };
}

export function meminfo(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of read('/proc/meminfo').split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export class HostSampler {
  private last = counters();

  sample(): HostSample {
    const now = counters();
    const d = { total: now.total - this.last.total || 1, secs: Math.max(0.001, (now.at - this.last.at) / 1000) };
    const pct = (v: number) => Math.min(100, Math.max(0, (100 * v) / d.total));
    const mem = meminfo();
    const totalKb = mem.get('MemTotal') ?? 0;
    const availKb = mem.get('MemAvailable') ?? mem.get('MemFree') ?? 0;
    const sample: HostSample = {
      cpuUserPercent: pct(now.user - this.last.user),
      cpuSysPercent: pct(now.sys - this.last.sys),
      cpuIdlePercent: pct(now.idle - this.last.idle),
      cpuLoad: Number(read('/proc/loadavg').split(' ')[0]) || 0,
      memUsedMb: Math.round((totalKb - availKb) / 1024),
      memFreeMb: Math.round(availKb / 1024),
      swapUsedMb: Math.round(((mem.get('SwapTotal') ?? 0) - (mem.get('SwapFree') ?? 0)) / 1024),
      netRxBps: Math.max(0, (now.rx - this.last.rx) / d.secs),
      netTxBps: Math.max(0, (now.tx - this.last.tx) / d.secs),
    };
    this.last = now;
    return sample;
  }
}

/**
 * The host's NICs: those named (the agent's --nics), else every interface but loopback, guests' taps
 * and the bridges, bonds and VLAN devices built on NICs.
 */
export function hostNics(only?: readonly string[]): { name: string; macAddress: string; speedMbps: number; mtu: number }[] {
  let names: string[] = [];
  try {
    names = readdirSync('/sys/class/net');
  } catch {
    return [];
  }
  const built = (n: string) =>
    existsSync(`/sys/class/net/${n}/bridge`) || existsSync(`/sys/class/net/${n}/bonding`) || existsSync(`/proc/net/vlan/${n}`);
  const nics = only ? names.filter((n) => only.includes(n)) : names.filter((n) => n !== 'lo' && !/^(vnet|tap|virbr)/.test(n) && !built(n));
  return nics.sort().map((name) => ({
    name,
    macAddress: read(`/sys/class/net/${name}/address`).trim(),
    speedMbps: Math.max(0, Number(read(`/sys/class/net/${name}/speed`).trim()) || 0),
    mtu: Number(read(`/sys/class/net/${name}/mtu`).trim()) || 1500,
  }));
}

/** PRETTY_NAME of /etc/os-release. */
export function osPrettyName(): string {
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(read('/etc/os-release'))?.[1] ?? 'Linux';
}

/** Seconds since a process started (its QEMU, for a domain's uptime), or null. */
export function processAgeSeconds(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  const uptime = Number(read('/proc/uptime').split(' ')[0]);
  if (!stat || !uptime) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return Math.max(0, Math.round(uptime - startTicks / 100));
}
