import { z } from 'zod';
import type { VmStatus } from '../../generated/prisma/enums.ts';
import { objectName } from './params.ts';
import { refuseWhen } from './reasons.ts';
import { isOperatingSystem } from './operatingSystems.ts';

export const vmName = objectName;

/** Hardware fields shared by creating and editing a VM. */
export const vmHardware = {
  osType: z
    .string()
    .refine(isOperatingSystem, 'is not a known operating system (oVirt OS names: rhel_9x64, windows_2022, other_linux, other…)')
    .optional()
    .describe('oVirt OS id, e.g. rhel_9x64, windows_2022, other_linux.'),
  cpuSockets: z.number().int().min(1).max(16).optional(),
  cpuCores: z.number().int().min(1).max(254).optional().describe('Cores per socket.'),
  cpuThreads: z.number().int().min(1).max(8).optional().describe('Threads per core.'),
  memoryMb: z
    .number()
    .int()
    .min(128, 'must be at least 128 MiB')
    .max(16 * 1024 * 1024)
    .optional(),
  guaranteedMemoryMb: z.number().int().min(0).optional().describe('Memory the host must keep for the VM (defaults to all of it).'),
  highlyAvailable: z.boolean().optional(),
  haPriority: z.number().int().min(1).max(100).optional(),
  stateless: z.boolean().optional(),
  ballooningEnabled: z
    .boolean()
    .optional()
    .describe("Its host's memory manager may inflate its balloon, down to its guaranteed memory (default true)."),
  displayType: z.enum(['VNC', 'SPICE']).meta({ graphql: 'DisplayType' }).optional().describe('The console offered from the next start.'),
};

/** The VM is down: it may be edited in full, removed, or have disks moved. */
export function vmIsDown(vm: { name: string; status: VmStatus }) {
  return refuseWhen(
    vm.status !== 'DOWN',
    vm.status === 'IMAGE_LOCKED' ? 'VM_IS_LOCKED' : 'VM_IS_RUNNING',
    vm.status === 'IMAGE_LOCKED' ? `VM ${vm.name} is locked by another operation.` : `VM ${vm.name} is ${vm.status}; it must be Down.`,
  );
}

export function guaranteedWithinMemory(memoryMb: number, guaranteedMemoryMb: number) {
  return refuseWhen(
    guaranteedMemoryMb > memoryMb,
    'VM_GUARANTEED_MEMORY_ABOVE_MEMORY',
    `Guaranteed memory (${guaranteedMemoryMb} MiB) cannot exceed the VM's memory (${memoryMb} MiB).`,
  );
}
