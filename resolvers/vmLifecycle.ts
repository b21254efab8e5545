// VM lifecycle mutations (run, power off, shut down, reboot, pause, resume, suspend, migrate,
// cancel migration), each with its `can…` dry run. They run through runJobAction: the mutation
// returns once the host's agent has accepted the command, with the Job that follows it.
import type { InputObjectRef } from '@pothos/core';
import { builder } from '../schema/builder.ts';
import { ActionCheckRef } from '../schema/types/errors.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { VmRef } from '../schema/types/vm.ts';
import { VireoError } from '../server/errors.ts';
import { asCheckable, startJobAction, type JobActionDefinition } from '../server/jobs/runJobAction.ts';
import { canRunAction } from '../server/actions/runAction.ts';
import { runVm } from '../server/actions/vm/lifecycle/runVm.ts';
import { shutdownVm, stopVm } from '../server/actions/vm/lifecycle/stopVm.ts';
import { pauseVm, rebootVm, resumeVm, suspendVm } from '../server/actions/vm/lifecycle/verbs.ts';
import { cancelMigrateVm, migrateVm } from '../server/actions/vm/lifecycle/migrateVm.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What a lifecycle mutation returns: the object acted on and the Job that tracks the action. */
export interface Started { objectId: string; jobId: string }

const JobLink = { type: 'Job' as never, description: 'The Job tracking the action: its status, steps and progress (jobProgress streams it).' };

export const VmActionResult = builder.objectRef<Started>('VmActionResult').implement({
  description: 'A VM action the host accepted.',
  fields: (t) => ({
    vm: t.field({ type: VmRef, nullable: true, resolve: (r, _a, ctx) => ctx.db.vm.findUnique({ where: { id: r.objectId } }) }),
    job: t.field({ ...JobLink, resolve: (r, _a, ctx) => ctx.db.job.findUniqueOrThrow({ where: { id: r.jobId } }) as never }),
  }),
});

/**
 * One job action, two root fields: the mutation and its `can…` dry run (as actionField does for
 * the one-transaction actions).
 */
export function jobActionField<P, R, I>(name: string, opts: {
  action: JobActionDefinition<P, any, R>;
  description: string;
  input: InputObjectRef<Types, I>;
  params(input: I): unknown;
  type: typeof VmActionResult | ReturnType<typeof builder.objectRef<Started>>;
  objectId(params: P, result: R): string;
}) {
  builder.mutationField(name, (t) =>
    t.field({
      type: opts.type,
      description: opts.description,
      args: { input: t.arg({ type: opts.input, required: true }) },
      errors: { dataField: { name: 'result' } },
      resolve: async (_root, args, ctx) => {
        const raw = opts.params((args as { input: I }).input);
        const started = await startJobAction(ctx.engine, ctx.actor, opts.action, raw);
        return { objectId: opts.objectId(opts.action.params.parse(raw), started.result), jobId: started.jobId };
      },
    }),
  );
  builder.queryField(`can${name[0]!.toUpperCase()}${name.slice(1)}`, (t) =>
    t.field({
      type: ActionCheckRef,
      description: `Dry run of ${name}: every check it makes, nothing changed.`,
      args: { input: t.arg({ type: opts.input, required: true }) },
      resolve: async (_root, args, ctx) => {
        let params: unknown;
        try { params = opts.params((args as { input: I }).input); } catch (e) {
          if (e instanceof VireoError) return [{ code: e.code, message: e.message }];
          throw e;
        }
        return canRunAction(ctx.engine, ctx.actor, asCheckable(opts.action as JobActionDefinition<P, unknown, unknown>), params);
      },
    }),
  );
}

const vmId = (id: unknown) => localId(String(id), 'Vm', 'id');
const byVm = <P extends { vmId: string }>(p: P) => p.vmId;

const RunOnce = builder.inputType('RunOnceInput', {
  description: 'Options for this run only.',
  fields: (t) => ({ startPaused: t.boolean({ required: false, description: 'Start the VM paused.' }) }),
});
const RunInput = builder.inputType('RunVmInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    host: t.id({ required: false, description: "Run on this host (it must pass the scheduler's filters); default: the scheduler chooses." }),
    runOnce: t.field({ type: RunOnce, required: false }),
  }),
});
jobActionField('runVm', {
  action: runVm, input: RunInput, type: VmActionResult, objectId: byVm,
  description: 'Start a Down VM (or restore a suspended one) on a host of its cluster; refused with the reason per host when none fits.',
  params: (i) => ({ vmId: vmId(i.id), hostId: optionalLocalId(i.host as string | null, 'Host', 'host') ?? null, runOnce: i.runOnce ? { startPaused: i.runOnce.startPaused ?? false } : null }),
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
  jobActionField(name, { action: action as JobActionDefinition<{ vmId: string }, any, unknown>, input: VmIdInput(input), type: VmActionResult, objectId: byVm, description, params: (i) => ({ vmId: vmId(i.id) }) });
}

const ShutdownInput = builder.inputType('ShutdownVmInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    timeoutSeconds: t.int({ required: false, description: 'How long the guest has to power off (default 120).' }),
    forceAfterTimeout: t.boolean({ required: false, description: 'Power the VM off if the guest has not shut down in time (default false: leave it running).' }),
  }),
});
jobActionField('shutdownVm', {
  action: shutdownVm, input: ShutdownInput, type: VmActionResult, objectId: byVm,
  description: 'Ask the guest to shut down (ACPI); the Job fails, or powers the VM off if asked, when it has not within the timeout.',
  params: (i) => ({ vmId: vmId(i.id), timeoutSeconds: i.timeoutSeconds ?? undefined, forceAfterTimeout: i.forceAfterTimeout ?? undefined }),
});

const MigrateInput = builder.inputType('MigrateVmInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    host: t.id({ required: false, description: 'Destination host in the same cluster; default: the scheduler chooses.' }),
  }),
});
jobActionField('migrateVm', {
  action: migrateVm, input: MigrateInput, type: VmActionResult, objectId: byVm,
  description: 'Live-migrate a running VM to another host of its cluster; the Job reports the progress and ends when the VM runs there.',
  params: (i) => ({ vmId: vmId(i.id), hostId: optionalLocalId(i.host as string | null, 'Host', 'host') ?? null }),
});
