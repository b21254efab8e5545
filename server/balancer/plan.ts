// PURE: what the balancer would do in a cluster now, and why (oVirt's balance policy units and
// its affinity rules enforcer): repair broken affinity first, then the policy's load rule, at most
// `maxMigrations` moves, each VM once, none that was migrated lately; every decision counted in
// (memory, VM counts, CPU, affinity) before the next; under power_saving, then the empty hosts
// to power off (powerOffs.ts). No move breaks the cluster's HA reservation.
import { brokenRules } from '../scheduler/affinity/brokenRules.ts';
import { refusal } from '../scheduler/schedule.ts';
import { planPowerOffs } from './powerOffs.ts';
import { reservationShortfall } from '../scheduler/haReservation.ts';
import type { BalanceInput, BalanceMove, BalancePlan, BalancedVm, HostLoad, HostLoadState, MoveKind } from './types.ts';

const pct = (n: number) => `${Math.round(n)} %`;

export function planBalance(input: BalanceInput): BalancePlan {
  const { thresholds: th, schedulingPolicy: policy } = input;
  // Working copies: the plan moves VMs in them.
  const hosts = input.hosts.map((h) => ({ ...h, cpu: h.cpu ? { ...h.cpu } : null }));
  const vms = input.vms.map((v) => ({ ...v }));
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const moves: BalanceMove[] = [];
  const notes: string[] = [];
  const moved = new Set<string>();
  const state = (h: HostLoad): HostLoadState =>
    !h.cpu
      ? 'UNKNOWN'
      : h.cpu.min > th.highUtilizationPercent
        ? 'OVER_USED'
        : h.cpu.mean < th.lowUtilizationPercent
          ? 'UNDER_USED'
          : 'NORMAL';
  const hostStates = hosts.map((h) => ({
    id: h.id,
    name: h.name,
    cpuPercent: h.cpu ? Math.round(h.cpu.mean * 10) / 10 : null,
    vmCount: h.vmCount,
    load: state(h),
  }));
  const share = (vm: BalancedVm, h: HostLoad) => (vm.cpuPercent * vm.vcpus) / Math.max(1, h.threads);
  const full = () => moves.length >= input.maxMigrations;
  const movable = (vm: BalancedVm) => !moved.has(vm.id) && !vm.quietUntil;
  const on = (h: HostLoad) => vms.filter((v) => v.hostId === h.id);

  /** Why the cluster could not keep its HA reservation with the VM moved (null: it could, or asks for none), as migrateVm checks it. */
  const reservationAfter = (vm: BalancedVm, from: HostLoad, to: HostLoad): string | null => {
    if (!input.haReservation) return null;
    const shift = (h: HostLoad) => (h.id === from.id ? vm.memoryMb : h.id === to.id ? -vm.memoryMb : 0);
    return reservationShortfall(
      hosts
        .filter((h) => h.status === 'UP')
        .map((h) => ({
          id: h.id,
          name: h.name,
          freeMb: Math.floor((h.memoryMb * input.memoryOvercommitPercent) / 100) - h.committedMb + shift(h),
        })),
      vms.filter((v) => v.highlyAvailable).map((v) => ({ hostId: v.id === vm.id ? to.id : v.hostId, memoryMb: v.memoryMb })),
    );
  };
  /** VMs a move was not planned for because of the HA reservation: the host and why. */
  const heldBack = new Map<string, { vm: BalancedVm; host: string; problem: string }>();

  /** The best host for the VM among `candidates` by `score` (lowest), keeping the filters and the HA reservation; soft affinity counts first. */
  const destination = (vm: BalancedVm, from: HostLoad, candidates: HostLoad[], score: (h: HostLoad) => number) => {
    let best: HostLoad | null = null;
    let bestScore = Infinity;
    for (const h of candidates) {
      if (h.id === from.id || refusal(h, vm, vm.policy)) continue;
      const problem = reservationAfter(vm, from, h);
      if (problem) {
        heldBack.set(vm.id, { vm, host: h.name, problem });
        continue;
      }
      const s = brokenRules(h, vm).length * 1e9 + score(h);
      if (s < bestScore || (s === bestScore && best && h.name < best.name)) {
        best = h;
        bestScore = s;
      }
    }
    return best;
  };

  const move = (vm: BalancedVm, from: HostLoad, to: HostLoad, kind: MoveKind, reason: string) => {
    if (from.cpu) from.cpu.mean = Math.max(0, from.cpu.mean - share(vm, from));
    if (to.cpu) to.cpu.mean += share(vm, to);
    from.committedMb -= vm.memoryMb;
    from.vmCount--;
    to.committedMb += vm.memoryMb;
    to.vmCount++;
    vm.hostId = to.id;
    moved.add(vm.id);
    for (const other of vms)
      for (const a of other.affinity)
        for (const p of a.vms?.peers ?? []) if (p.vmId === vm.id) Object.assign(p, { hostId: to.id, hostName: to.name });
    moves.push({
      vmId: vm.id,
      vmName: vm.name,
      sourceId: from.id,
      sourceName: from.name,
      destinationId: to.id,
      destinationName: to.name,
      kind,
      reason,
    });
  };

  for (const vm of vms)
    if (vm.quietUntil) notes.push(`VM ${vm.name} was migrated lately; it is left alone until ${vm.quietUntil.toISOString()}.`);

  // 1. Affinity: a VM whose host breaks its groups' rules goes where fewer are broken (hard ones first).
  const peersHere = (vm: BalancedVm) =>
    vm.affinity.reduce((n, a) => n + (a.vms?.peers.filter((p) => p.hostId === vm.hostId && p.vmId !== vm.id).length ?? 0), 0);
  const candidates = vms.filter((v) => byId.has(v.hostId)).sort((a, b) => peersHere(a) - peersHere(b) || a.name.localeCompare(b.name));
  for (const vm of candidates) {
    if (full()) break;
    const from = byId.get(vm.hostId)!;
    const broken = brokenRules(from, vm);
    if (!broken.length) continue;
    if (!movable(vm)) continue;
    const hard = broken.some((r) => r.enforcing);
    const to = destination(vm, from, hosts, (h) => h.vmCount);
    if (!to || (!hard && brokenRules(to, vm).length >= broken.length)) {
      notes.push(`VM ${vm.name} breaks affinity (${broken.map((r) => r.message).join(' ')}) but no host would keep more of its rules.`);
      continue;
    }
    move(vm, from, to, 'AFFINITY', `affinity repair: ${broken.map((r) => r.message).join(' ')} Host ${to.name} keeps the rule.`);
  }

  // 2. The policy's load rule.
  const window = `${th.cpuOverloadMinutes} min`;
  if (policy === 'evenly_distributed' || policy === 'power_saving') {
    const over = hosts.filter((h) => state(h) === 'OVER_USED').sort((a, b) => b.cpu!.mean - a.cpu!.mean);
    for (const from of over) {
      if (full()) break;
      if (from.settling) {
        notes.push(
          `Host ${from.name} is over-used but a migration from or to it started lately; its load is judged again once that shows.`,
        );
        continue;
      }
      const why = `host ${from.name}'s CPU has been above ${pct(th.highUtilizationPercent)} for ${window} (${pct(from.cpu!.mean)} on average)`;
      const targets = hosts.filter((h) => h.cpu && !over.includes(h));
      let done = false;
      for (const vm of on(from)
        .filter(movable)
        .sort((a, b) => share(b, from) - share(a, from) || a.name.localeCompare(b.name))) {
        const fits = targets.filter((h) => h.cpu!.mean + share(vm, h) < th.highUtilizationPercent);
        const to = destination(vm, from, fits, (h) => (policy === 'power_saving' ? -h.cpu!.mean : h.cpu!.mean));
        if (!to) continue;
        move(vm, from, to, 'CPU_OVERLOAD', `${why}; host ${to.name} is at ${pct(to.cpu!.mean)}.`);
        done = true;
        break;
      }
      if (!done) notes.push(`${why[0]!.toUpperCase()}${why.slice(1)}, but none of its VMs fits on a host below that.`);
    }
  }
  if (policy === 'power_saving') {
    const under = hosts
      .filter((h) => state(h) === 'UNDER_USED' && h.vmCount > 0 && !h.settling)
      .sort((a, b) => a.vmCount - b.vmCount || a.name.localeCompare(b.name));
    for (const from of under) {
      if (full()) break;
      const why = `host ${from.name}'s CPU has averaged below ${pct(th.lowUtilizationPercent)} for ${window}: emptying it`;
      for (const vm of on(from).filter(movable)) {
        if (full()) break;
        const fits = hosts.filter(
          (h) =>
            h.cpu &&
            h.cpu.mean + share(vm, h) < th.highUtilizationPercent &&
            (h.vmCount > from.vmCount || (h.vmCount === from.vmCount && h.name < from.name)),
        );
        const to = destination(vm, from, fits, (h) => -h.committedMb);
        if (to) move(vm, from, to, 'POWER_SAVING', `${why}; host ${to.name} takes it.`);
      }
    }
  }
  if (policy === 'vm_evenly_distributed') {
    const up = hosts.filter((h) => h.status === 'UP');
    while (!full() && up.length > 1) {
      const busiest = [...up].sort((a, b) => b.vmCount - a.vmCount || a.name.localeCompare(b.name))[0]!;
      const idlest = [...up].sort((a, b) => a.vmCount - b.vmCount || a.name.localeCompare(b.name))[0]!;
      if (busiest.vmCount - idlest.vmCount <= th.maxVmCountDifference) break;
      const why = `host ${busiest.name} runs ${busiest.vmCount} VMs, more than ${th.maxVmCountDifference} over host ${idlest.name}'s ${idlest.vmCount}`;
      const vm = on(busiest)
        .filter(movable)
        .sort((a, b) => a.memoryMb - b.memoryMb || a.name.localeCompare(b.name))
        .find((v) =>
          destination(
            v,
            busiest,
            up.filter((h) => h.vmCount < busiest.vmCount - 1),
            (h) => h.vmCount,
          ),
        );
      if (!vm) {
        notes.push(`${why[0]!.toUpperCase()}${why.slice(1)}, but none of its VMs can go to a host with fewer.`);
        break;
      }
      const to = destination(
        vm,
        busiest,
        up.filter((h) => h.vmCount < busiest.vmCount - 1),
        (h) => h.vmCount,
      )!;
      move(vm, busiest, to, 'VM_COUNT', `${why}.`);
    }
  }
  for (const { vm, host, problem } of heldBack.values())
    if (!moved.has(vm.id))
      notes.push(`VM ${vm.name} is not moved to host ${host}: the cluster would no longer keep its HA reservation (${problem}).`);
  const saving = policy === 'power_saving' ? planPowerOffs(hosts, input.powerSaving) : { powerOffs: [], notes: [] };
  notes.push(...saving.notes);
  if (policy === 'none' || policy === 'cluster_maintenance')
    notes.push(`Policy ${policy}: no load balancing (affinity is still repaired).`);
  if (full()) notes.push(`At most ${input.maxMigrations} migrations per cycle; the rest waits for the next.`);
  if (!moves.length && !saving.powerOffs.length && !notes.length)
    notes.push('Nothing to do: every host is within the thresholds and every affinity rule is kept.');
  return { policy, moves, powerOffs: saving.powerOffs, hosts: hostStates, notes };
}
