// CancelMigrateVm: ask the source host to stop a migration; the VM stays there.
import { z } from 'zod';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import { refuseWhen } from '../../../validators/reasons.ts';
import type { ActionDefinition } from '../../defineAction.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { vmJobApi } from './vmJobApi.ts';

const cancelParams = z.object({ vmId: nodeId('Vm', 'id') });

export const cancelMigrateVm: ActionDefinition<z.infer<typeof cancelParams>, { vm: LoadedVm }, { vm: LoadedVm }> = {
  type: 'CancelMigrateVm',
  title: 'cancel the migration of VM',
  params: cancelParams,
  actionGroup: 'MIGRATE_VM',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  // Not the VM's lock: the migration holds it.
  locks: (p) => [lockKey('VmCancelMigration', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    return [refuseWhen(vm.status !== 'MIGRATING_FROM', 'VM_NOT_MIGRATING', `VM ${vm.name} is ${vm.status}, not migrating.`)];
  },
  async job(tx, p) {
    const vm = await loadVm(tx, p.vmId);
    return { description: `Canceling the migration of VM ${vm.name}`, vmId: vm.id, hostId: vm.hostId };
  },
  prepare: async ({ tx }, p) => ({ vm: await loadVm(tx, p.vmId) }),
  async onHost(ctx, _p, { vm }) {
    await ctx.hosts.cancelMigration(vm.host!, vm.id);
  },
  execute: async (_ctx, _p, marked) => marked,
  audit: ({ vm }) => ({
    code: 'VM_MIGRATION_CANCELED',
    vars: { vmName: vm.name },
    objects: { vmId: vm.id, hostId: vm.hostId, clusterId: vm.clusterId },
  }),
  api: vmJobApi('cancelMigrateVm', 'Cancel the migration of a VM; it stays on its source host.'),
};
