// PURE: compares the domains a host reports with the VMs the database knows (oVirt's VmAnalyzer).
import type { VmStatus } from '../../generated/prisma/enums.ts';
import type { DomainReport } from '../../protocol/messages.ts';
import type { HostView } from './analyzeHost.ts';
import type { MonitoringEvent } from './events.ts';

export interface VmView {
  id: string;
  name: string;
  status: VmStatus;
  hostId: string | null;
  clusterId: string;
  external: boolean;
  /** The destination of a migration under way. */
  migratingToHostId: string | null;
}

export interface VmUpdate {
  id: string;
  status: VmStatus;
  hostId: string | null;
}

export interface VmChanges {
  updates: VmUpdate[];
  /** Running on the host, unknown to the engine: recorded as external VMs. */
  discovered: DomainReport[];
  /** Domains whose sample becomes the VM's latest statistics. */
  sampled: DomainReport[];
  events: MonitoringEvent[];
  /** Outgoing migrations this host reported on: progress, or why one failed. */
  migrations: MigrationReport[];
  /** Running VMs the engine placed elsewhere that this host claimed: refused, nothing of them used. */
  refusedClaims: string[];
}

export interface MigrationReport {
  vmId: string;
  hostId: string;
  progress?: number;
  error?: string;
}

/** DB statuses a VM can have while legitimately absent from its host's report. */
const MAY_BE_ABSENT: readonly VmStatus[] = ['DOWN', 'WAIT_FOR_LAUNCH', 'MIGRATING_FROM', 'UNKNOWN', 'SUSPENDED'];

/**
 * May this host report on the VM? Only on the VMs the engine placed on it, the one it is the
 * migration destination of, and external VMs of its cluster that no host runs. Anything else is
 * another host's VM: a compromised or confused agent must not move it, stop it, or give it a
 * console address (oVirt's VDSM trusts its hosts; Vireo confines each agent to its host).
 */
export function mayReport(host: HostView, vm: VmView): boolean {
  if (vm.hostId === host.id || vm.migratingToHostId === host.id) return true;
  return vm.external && vm.hostId === null && vm.clusterId === host.clusterId;
}

/**
 * @param host the reporting host
 * @param known VMs the database places on this host, plus any VM the report names
 * @param reported every domain on the host (a full report, never a delta)
 * @param refusedBefore VMs whose claim by this host was refused (and logged) at its last report
 */
export function analyzeVms(
  host: HostView,
  known: VmView[],
  reported: DomainReport[],
  refusedBefore: ReadonlySet<string> = new Set(),
): VmChanges {
  const byId = new Map(known.map((v) => [v.id, v]));
  const out: VmChanges = { updates: [], discovered: [], sampled: [], events: [], migrations: [], refusedClaims: [] };
  const objects = (vmId: string) => ({ vmId, hostId: host.id, clusterId: host.clusterId });

  for (const r of reported) {
    const vm = byId.get(r.id);
    if (!vm) {
      if (r.state === 'DOWN') continue;
      out.discovered.push(r);
      out.sampled.push(r);
      out.events.push({ code: 'VM_EXTERNAL_DISCOVERED', vars: { vmName: r.name, hostName: host.name }, objects: objects(r.id) });
      continue;
    }
    if (!mayReport(host, vm)) {
      // A Down domain of another host's VM is stale news at worst (the source of a finished migration); a running one is a claim.
      if (r.state === 'DOWN') continue;
      out.refusedClaims.push(vm.id);
      if (!refusedBefore.has(vm.id))
        out.events.push({
          code: 'VM_CLAIM_REFUSED',
          vars: { vmName: vm.name, hostName: host.name, state: r.state },
          objects: objects(vm.id),
        });
      continue;
    }
    const elsewhere = vm.hostId !== null && vm.hostId !== host.id;
    if (r.migrationProgress !== undefined || r.migrationError !== undefined)
      out.migrations.push({ vmId: vm.id, hostId: host.id, progress: r.migrationProgress, error: r.migrationError });
    if (r.state === 'DOWN' && r.exitReason === 'SAVED') {
      // Suspended to disk: the VM keeps its saved memory and no longer runs anywhere.
      if (elsewhere || vm.status === 'SUSPENDED') continue;
      out.updates.push({ id: vm.id, status: 'SUSPENDED', hostId: null });
      out.events.push({ code: 'VM_SUSPENDED', vars: { vmName: vm.name }, objects: objects(vm.id) });
      continue;
    }
    if (r.state === 'DOWN') {
      // A source host's "migrated away" or a stale Down after the VM moved on is not the VM's end.
      if (elsewhere || r.exitReason === 'MIGRATED' || vm.status === 'DOWN' || vm.status === 'SUSPENDED') continue;
      const error = r.exitReason === 'CRASHED' || r.exitReason === 'FAILED_TO_START';
      out.updates.push({ id: vm.id, status: 'DOWN', hostId: null });
      out.events.push({
        code: error ? 'VM_DOWN_ERROR' : 'VM_DOWN',
        vars: { vmName: vm.name, exitMessage: r.exitMessage ?? '' },
        objects: objects(vm.id),
      });
      continue;
    }
    // The destination of a migration reports the VM before the source lets go of it.
    if (r.state === 'MIGRATING_TO' && elsewhere) continue;
    out.sampled.push(r);
    if (vm.status === r.state && !elsewhere && vm.hostId === host.id) continue;
    out.updates.push({ id: vm.id, status: r.state, hostId: host.id });
    if (elsewhere)
      out.events.push({ code: 'VM_MIGRATED_BY_HOST', vars: { vmName: vm.name, hostName: host.name }, objects: objects(vm.id) });
    else if (r.state === 'UP' && vm.status !== 'PAUSED' && vm.status !== 'MIGRATING_FROM')
      out.events.push({ code: 'VM_UP', vars: { vmName: vm.name, hostName: host.name }, objects: objects(vm.id) });
    else if (r.state === 'NOT_RESPONDING')
      out.events.push({ code: 'VM_NOT_RESPONDING', vars: { vmName: vm.name }, objects: objects(vm.id) });
  }

  const seen = new Set(reported.map((r) => r.id));
  for (const vm of known) {
    if (vm.hostId !== host.id || seen.has(vm.id) || MAY_BE_ABSENT.includes(vm.status)) continue;
    out.updates.push({ id: vm.id, status: 'DOWN', hostId: null });
    out.events.push({
      code: 'VM_DOWN_ERROR',
      vars: { vmName: vm.name, exitMessage: `the VM is no longer on host ${host.name}.` },
      objects: objects(vm.id),
    });
  }
  // A VM Unknown because its host stopped answering, and not on the host after it came back, is Down.
  for (const vm of known) {
    if (vm.hostId === host.id && vm.status === 'UNKNOWN' && !seen.has(vm.id)) {
      out.updates.push({ id: vm.id, status: 'DOWN', hostId: null });
      out.events.push({
        code: 'VM_DOWN_ERROR',
        vars: { vmName: vm.name, exitMessage: `host ${host.name} came back without it.` },
        objects: objects(vm.id),
      });
    }
  }
  return out;
}
