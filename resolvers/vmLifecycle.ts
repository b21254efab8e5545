// VM lifecycle mutations (run, power off, shut down, reboot, pause, resume, suspend, migrate,
// cancel migration), each with its `can…` dry run. They run in job mode: the mutation returns
// once the host's agent has accepted the command, with the Job that follows it.
import { builder } from '../schema/builder.ts';
import { actionField } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import type { ActionDefinition } from '../server/actions/defineAction.ts';
import type { StartedAction } from '../server/actions/runAction.ts';
import { runVm } from '../server/actions/vm/lifecycle/runVm.ts';
import { shutdownVm, stopVm } from '../server/actions/vm/lifecycle/stopVm.ts';
import { pauseVm, rebootVm, resumeVm, suspendVm } from '../server/actions/vm/lifecycle/verbs.ts';
import { cancelMigrateVm, migrateVm } from '../server/actions/vm/lifecycle/migrateVm.ts';

import { VmActionResult } from '../schema/types/vmActionResult.ts';
import type { StartedJob } from '../server/actions/defineAction.ts';

const vmId = (id: unknown) => localId(String(id), 'Vm', 'id');
/** The payload of a VM action: the VM (from the params) and its Job. */
const byVm = (_r: unknown, s: StartedAction<{ vmId: string }, unknown>): StartedJob => ({ objectId: s.params.vmId, jobId: s.jobId! });
const vmResult = { type: VmActionResult, dataField: 'result', resolve: byVm } as const;

const RunOnce = builder.inputType('RunOnceInput', {
  description: 'Options for this run only.',
  fields: (t) => ({
    startPaused: t.boolean({ required: false, description: 'Start the VM paused.' }),
    kernelPath: t.string({ required: false, description: 'Linux boot options: boot this kernel (an absolute path of a file on the host) instead of from a disk.' }),
    initrdPath: t.string({ required: false, description: 'Linux boot options: the initrd (an absolute path on the host); needs kernelPath.' }),
    kernelParams: t.string({ required: false, description: 'Linux boot options: the kernel command line; needs kernelPath.' }),
  }),
});
const RunInput = builder.inputType('RunVmInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    host: t.id({ required: false, description: "Run on this host (it must pass the scheduler's filters); default: the scheduler chooses." }),
    runOnce: t.field({ type: RunOnce, required: false }),
  }),
});
actionField('runVm', {
  action: runVm, input: RunInput, ...vmResult,
  description: 'Start a Down VM (or restore a suspended one) on a host of its cluster; refused with the reason per host when none fits.',
  params: (i) => ({ vmId: vmId(i.id), hostId: optionalLocalId(i.host as string | null, 'Host', 'host') ?? null, runOnce: i.runOnce ? { startPaused: i.runOnce.startPaused ?? false, kernelPath: i.runOnce.kernelPath, initrdPath: i.runOnce.initrdPath, kernelParams: i.runOnce.kernelParams } : null }),
});

const VmIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ required: true }) }) });
const simple = [
  ['stopVm', stopVm, 'StopVmInput', 'Power a VM off (pull the plug); a suspended VM loses its saved memory.'],
  ['rebootVm', rebootVm, 'RebootVmInput', 'Reboot the guest of a running VM.'],
  ['pauseVm', pauseVm, 'PauseVmInput', 'Pause a running VM (it keeps its memory on the host).'],
  ['resumeVm', resumeVm, 'ResumeVmInput', 'Resume a paused VM. (A suspended VM is resumed with runVm.)'],
  ['suspendVm', suspendVm, 'SuspendVmInput', "Suspend a VM to disk: its memory is saved and it stops running; runVm restores it."],
  ['cancelMigrateVm', cancelMigrateVm, 'CancelMigrateVmInput', 'Cancel the migration of a VM; it stays on its source host.'],
] as const;
for (const [name, action, input, description] of simple) {
  actionField(name, { action: action as ActionDefinition<{ vmId: string }, unknown>, input: VmIdInput(input), ...vmResult, description, params: (i) => ({ vmId: vmId(i.id) }) });
}

const ShutdownInput = builder.inputType('ShutdownVmInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    timeoutSeconds: t.int({ required: false, description: 'How long the guest has to power off (default 120).' }),
    forceAfterTimeout: t.boolean({ required: false, description: 'Power the VM off if the guest has not shut down in time (default false: leave it running).' }),
  }),
});
actionField('shutdownVm', {
  action: shutdownVm, input: ShutdownInput, ...vmResult,
  description: 'Ask the guest to shut down (ACPI); the Job fails, or powers the VM off if asked, when it has not within the timeout.',
  params: (i) => ({ vmId: vmId(i.id), timeoutSeconds: i.timeoutSeconds ?? undefined, forceAfterTimeout: i.forceAfterTimeout ?? undefined }),
});

const MigrateInput = builder.inputType('MigrateVmInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    host: t.id({ required: false, description: 'Destination host in the same cluster; default: the scheduler chooses.' }),
  }),
});
actionField('migrateVm', {
  action: migrateVm, input: MigrateInput, ...vmResult,
  description: 'Live-migrate a running VM to another host of its cluster; the Job reports the progress and ends when the VM runs there.',
  params: (i) => ({ vmId: vmId(i.id), hostId: optionalLocalId(i.host as string | null, 'Host', 'host') ?? null }),
});
