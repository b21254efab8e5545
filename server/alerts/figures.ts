// The figures a threshold rule reads from monitoring's stream, per subject, and the comparison.
import type { AlertComparison, AlertFigure, AlertSubject } from '../../generated/prisma/enums.ts';
import type { HostStatsEvent, VmStatsEvent } from '../pubsub.ts';

/** Which figures each subject has (addAlertRule refuses the others). */
export const FIGURES_OF: Record<AlertSubject, AlertFigure[]> = {
  HOST: ['CPU_PERCENT', 'CPU_LOAD', 'MEMORY_USED_PERCENT', 'MEMORY_USED_MB', 'SWAP_USED_MB'],
  VM: ['CPU_PERCENT', 'MEMORY_USED_MB'],
  STORAGE_DOMAIN: ['FREE_PERCENT'],
};

/** How a figure reads in a message. */
export const FIGURE_LABEL: Record<AlertFigure, string> = {
  CPU_PERCENT: 'CPU %',
  CPU_LOAD: 'CPU load',
  MEMORY_USED_PERCENT: 'memory used %',
  MEMORY_USED_MB: 'memory used MiB',
  SWAP_USED_MB: 'swap used MiB',
  FREE_PERCENT: 'free space %',
};

export function hostFigure(figure: AlertFigure, s: HostStatsEvent): number | null {
  switch (figure) {
    case 'CPU_PERCENT':
      return s.cpuUserPercent + s.cpuSysPercent;
    case 'CPU_LOAD':
      return s.cpuLoad;
    case 'MEMORY_USED_PERCENT':
      return s.memUsedMb + s.memFreeMb > 0 ? (100 * s.memUsedMb) / (s.memUsedMb + s.memFreeMb) : null;
    case 'MEMORY_USED_MB':
      return s.memUsedMb;
    case 'SWAP_USED_MB':
      return s.swapUsedMb;
    default:
      return null;
  }
}

export function vmFigure(figure: AlertFigure, s: VmStatsEvent): number | null {
  switch (figure) {
    case 'CPU_PERCENT':
      return s.cpuPercent;
    case 'MEMORY_USED_MB':
      return s.memUsedMb;
    default:
      return null;
  }
}

export function storageFigure(figure: AlertFigure, d: { capacityBytes: bigint; usedBytes: bigint }): number | null {
  if (figure !== 'FREE_PERCENT' || d.capacityBytes <= 0n) return null;
  return (100 * Number(d.capacityBytes - d.usedBytes)) / Number(d.capacityBytes);
}

export function crosses(comparison: AlertComparison, value: number, threshold: number): boolean {
  return comparison === 'ABOVE' ? value > threshold : value < threshold;
}
