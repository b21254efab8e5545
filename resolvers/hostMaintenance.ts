// Host maintenance: evacuate by live migration, then Maintenance; and activation back.
import { builder } from '../schema/builder.ts';
import { actionField } from '../schema/actionField.ts';
import { localId } from '../schema/ids.ts';
import { HostRef } from '../schema/types/host.ts';
import type { Started } from './vmLifecycle.ts';
import { activateHost, maintenanceHost } from '../server/actions/vm/lifecycle/hostMaintenance.ts';

const HostActionResult = builder.objectRef<Started>('HostActionResult').implement({
  description: 'A host action that was started.',
  fields: (t) => ({
    host: t.field({ type: HostRef, nullable: true, resolve: (r, _a, ctx) => ctx.db.host.findUnique({ where: { id: r.objectId } }) }),
    job: t.field({ type: 'Job' as never, resolve: (r, _a, ctx) => ctx.db.job.findUniqueOrThrow({ where: { id: r.jobId } }) as never }),
  }),
});

const HostIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('maintenanceHost', {
  action: maintenanceHost, input: HostIdInput('MaintenanceHostInput'), type: HostActionResult, dataField: 'result',
  resolve: (_r, s): Started => ({ objectId: s.params.hostId, jobId: s.jobId! }),
  description: "Move a host to maintenance: its VMs are live-migrated to other hosts of the cluster first (refused when one cannot go anywhere).",
  params: (i) => ({ hostId: localId(String(i.id), 'Host', 'id') }),
});

actionField('activateHost', {
  action: activateHost, input: HostIdInput('ActivateHostInput'), type: HostRef, dataField: 'host',
  description: 'Take a host out of maintenance; it comes Up with its agent\'s next report.',
  params: (i) => ({ hostId: localId(String(i.id), 'Host', 'id') }),
});
