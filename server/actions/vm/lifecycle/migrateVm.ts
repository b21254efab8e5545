// MigrateVm: live migration to a chosen or scheduled host of the same cluster. The destination
// is told to wait for the VM, then the source to send it; the source's reports carry the
// progress (→ the Job's step) and, if it fails, why (the VM then stays Up on the source).
// The VM stays locked until the migration ends. CancelMigrateVm asks the source to stop.
import { z } from 'zod';
import type { Db } from '../../../db.ts';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import { refuseWhen } from '../../../validators/reasons.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { jobSettings } from '../../../jobs/settings.ts';
import { setProgress } from '../../../jobs/jobs.ts';
import { followUntil } from './followVm.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';
import { succeeded } from '../../../agents/hostBroker.ts';
import { place, placementCheck, powerOnForRoom, reservationKept } from './placement.ts';
import { ValidationError } from '../../../errors.ts';
import { domainSpec } from './domainSpec.ts';
import { vmJobApi } from './vmJobApi.ts';
import { HostCapabilities, type DomainSpec } from '../../../../protocol/messages.ts';

const params = z.object({
  vmId: nodeId('Vm', 'id'),
  hostId: nodeId('Host', 'host').nullish().describe('Destination host in the same cluster; default: the scheduler chooses.'),
});
type Params = z.infer<typeof params>;
type HostRef = { id: string; name: string };
export interface Migration {
  vm: LoadedVm;
  source: HostRef;
  destination: HostRef;
  spec: DomainSpec;
  peer?: { uri: string; address: string };
}

const TITLE = 'migrate VM';

export const migrateVm: ActionDefinition<Params, Migration, Migration> = {
  type: 'MigrateVm',
  title: TITLE,
  params,
  actionGroup: 'MIGRATE_VM',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  holdLocksWhileFollowing: true,
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    const host = p.hostId ? await tx.host.findUnique({ where: { id: p.hostId }, select: { clusterId: true, name: true } }) : null;
    return [
      vmStatusIn(vm, ['UP'], 'migrate it'),
      notExternal(vm),
      refuseWhen(!!p.hostId && !host, 'HOST_NOT_FOUND', `Host ${p.hostId} does not exist.`),
      refuseWhen(
        !!host && host.clusterId !== vm.clusterId,
        'MIGRATION_TO_DIFFERENT_CLUSTER',
        `Host ${host?.name} is not in cluster ${vm.cluster.name} of VM ${vm.name}.`,
      ),
      refuseWhen(!!p.hostId && p.hostId === vm.hostId, 'VM_ALREADY_ON_HOST', `VM ${vm.name} already runs on host ${vm.host?.name}.`),
    ];
  },
  async checkOnly(ctx, p) {
    const vm = await loadVm(ctx.tx, p.vmId);
    return placementCheck(
      ctx,
      vm.id,
      vm.name,
      'receive',
      { hostId: p.hostId, exclude: vm.hostId ? [vm.hostId] : [], incoming: true },
      (hostId) => reservationKept(ctx, vm, hostId, 'migrate', evacuating(vm)),
    );
  },
  async makeRoom({ engine }, p, refusal) {
    const source = await engine.db.vm.findUnique({ where: { id: p.vmId }, select: { hostId: true } });
    return powerOnForRoom(engine, p.vmId, p.hostId, refusal, 'receive', source?.hostId ? [source.hostId] : []);
  },
  async job(tx, p) {
    const vm = await loadVm(tx, p.vmId);
    return { description: `Migrating VM ${vm.name} from host ${vm.host?.name}`, vmId: vm.id, hostId: vm.hostId };
  },
  async prepare(ctx, p) {
    const vm = await loadVm(ctx.tx, p.vmId);
    const placement = await place(ctx.engine, ctx.tx, TITLE, vm.id, vm.name, 'receive', {
      hostId: p.hostId,
      exclude: [vm.hostId!],
      incoming: true,
    });
    ctx.compensate(async () => placement.release());
    // The balancer's moves too (the engine's actor): only an evacuation is exempt.
    const broken = await reservationKept(ctx, vm, placement.hostId, 'migrate', evacuating(vm));
    if (broken.length) throw new ValidationError(TITLE, broken);
    const destination = await ctx.tx.host.findUniqueOrThrow({
      where: { id: placement.hostId },
      select: { id: true, name: true, capabilities: true },
    });
    // The destination's agent may report the VM from now on (and until the migration ends); no other host may.
    await ctx.tx.vm.update({ where: { id: vm.id }, data: { migratingToHostId: destination.id } });
    ctx.compensate(() => endMigration(ctx.engine.db, vm.id, destination.id));
    await ctx.tx.step.updateMany({
      where: { jobId: ctx.jobId! },
      data: { description: `Migrating VM ${vm.name} from host ${vm.host!.name} to host ${destination.name}` },
    });
    // Where the destination's hypervisor takes the migration, as its agent registered it (real hypervisors need it).
    const peer = HostCapabilities.safeParse(destination.capabilities).data?.migration;
    return {
      vm,
      source: vm.host!,
      destination: { id: destination.id, name: destination.name },
      spec: await domainSpec(ctx.tx, vm, destination.id, ctx.engine.leases.timeoutMs, null, ctx.engine.secrets),
      ...(peer ? { peer } : {}),
    };
  },
  async onHost(ctx, _p, { vm, source, destination, spec, peer }) {
    // VDSM's order: the source's migration hooks rewrite the running domain's XML, the destination's
    // hooks rewrite that, and the destination gets what they left.
    const sourceXml = await ctx.hosts.describeForMigration(source, vm.id);
    const accepted = await ctx.hosts.start(destination, spec, { incomingMigration: true, domainXml: sourceXml });
    ctx.compensate(async () => {
      await succeeded(ctx.hosts.destroy(destination, vm.id));
    });
    await ctx.hosts.migrate(source, vm.id, destination.name, peer, accepted ?? sourceXml);
  },
  execute: async (_ctx, _p, marked) => marked,
  audit: ({ vm, source, destination }) => ({
    code: 'VM_MIGRATION_START',
    vars: { vmName: vm.name, hostName: source.name, destinationName: destination.name },
    objects: { vmId: vm.id, hostId: source.id, clusterId: vm.clusterId },
  }),
  async follow(ctx, _p, { vm, source, destination }): Promise<FollowOutcome> {
    const started = Date.now();
    const objects = { vmId: vm.id, hostId: source.id, clusterId: vm.clusterId };
    const vars = { vmName: vm.name, hostName: source.name, destinationName: destination.name };
    let failed: (why: string) => void = () => {};
    const failure = new Promise<string>((resolve) => {
      failed = resolve;
    });
    const off = ctx.engine.vmWatch.onMigration(vm.id, (e) => {
      if (e.hostId !== source.id) return;
      if (e.error) failed(e.error);
      else if (e.progress !== undefined) void setProgress(ctx.engine.db, ctx.engine.pubsub, ctx.jobId!, e.progress).catch(() => {});
    });
    try {
      const arrived = followUntil(
        ctx.engine,
        vm.id,
        (v) => v.hostId === destination.id && v.status === 'UP',
        (v) => v.status === 'DOWN',
        jobSettings.migrationTimeoutMs,
      );
      const r = await Promise.race([arrived, failure]);
      let why: string;
      if (typeof r === 'string') why = r;
      else if (r.vm?.hostId === destination.id && r.vm.status === 'UP') {
        return {
          ok: true,
          audit: { code: 'VM_MIGRATION_DONE', vars: { ...vars, seconds: Math.round((Date.now() - started) / 100) / 10 }, objects },
        };
      } else if (r.timedOut) {
        why = `it did not finish within ${Math.round(jobSettings.migrationTimeoutMs / 1000)} s and was canceled.`;
        await succeeded(ctx.hosts.cancelMigration(source, vm.id));
      } else why = `the VM went ${r.vm?.status ?? 'away'}.`;
      // The source keeps the VM; the destination must not keep a half-received copy. Not awaited:
      // a lost destination would hold the outcome for a command timeout.
      void succeeded(ctx.hosts.destroy(destination, vm.id));
      return {
        ok: false,
        step: `Migration failed: ${why}`,
        audit: { code: 'VM_MIGRATION_FAILED', vars: { ...vars, reason: why }, objects },
      };
    } finally {
      off();
      await endMigration(ctx.engine.db, vm.id, destination.id);
      ctx.engine.scheduler.pending.remove(vm.id, destination.id);
    }
  },
  api: vmJobApi(
    'migrateVm',
    'Live-migrate a running VM to another host of its cluster; the Job reports the progress and ends when the VM runs there.',
  ),
};

/** The VM leaves a host going to maintenance: the host's capacity goes whatever the VM's destination, so the HA reservation does not hold it back. */
function evacuating(vm: LoadedVm): boolean {
  return vm.host?.status === 'PREPARING_FOR_MAINTENANCE';
}

/** The destination may no longer report the VM (monitoring already cleared it if the VM arrived there). */
async function endMigration(db: Db, vmId: string, destinationId: string) {
  await db.vm.updateMany({ where: { id: vmId, migratingToHostId: destinationId }, data: { migratingToHostId: null } });
}
