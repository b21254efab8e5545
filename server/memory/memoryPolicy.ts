// MOM's policy for a host comes from its cluster (ballooning on/off, the free-memory thresholds,
// KSM): given to the agent with its hello's answer, and sent again to the cluster's connected
// hosts when the cluster is edited.
import type { MemoryPolicy, MemoryVm } from '../../protocol/messages.ts';
import type { Db } from '../db.ts';
import type { Engine } from '../engine.ts';
import { succeeded } from '../agents/hostBroker.ts';

interface ClusterMemorySettings {
  ballooningEnabled: boolean;
  ballooningLowFreePercent: number;
  ballooningHighFreePercent: number;
  ksmEnabled: boolean;
}

export function memoryPolicy(c: ClusterMemorySettings): MemoryPolicy {
  return {
    ballooning: c.ballooningEnabled,
    lowFreePercent: c.ballooningLowFreePercent,
    highFreePercent: c.ballooningHighFreePercent,
    ksm: c.ksmEnabled,
  };
}

/** The policy of the host's cluster. */
export async function hostMemoryPolicy(db: Db, hostId: string): Promise<MemoryPolicy> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId }, select: { cluster: true } });
  return memoryPolicy(host.cluster);
}

/** What MOM needs of each VM the engine has on the host (as the VM's DomainSpec gives it at its start). */
export async function hostMemoryVms(db: Db, hostId: string): Promise<MemoryVm[]> {
  const vms = await db.vm.findMany({
    where: { hostId, status: { not: 'DOWN' } },
    select: { id: true, memoryMb: true, guaranteedMemoryMb: true, ballooningEnabled: true },
  });
  return vms.map((v) => ({
    id: v.id,
    memoryMb: v.memoryMb,
    guaranteedMemoryMb: Math.min(v.guaranteedMemoryMb, v.memoryMb),
    ballooning: v.ballooningEnabled,
  }));
}

/** Sends the cluster's policy to each of its hosts whose agent can be reached (the others get it with their hello). */
export async function sendMemoryPolicy(engine: Engine, clusterId: string): Promise<void> {
  const cluster = await engine.db.cluster.findUnique({
    where: { id: clusterId },
    include: { hosts: { select: { id: true, name: true } } },
  });
  if (!cluster) return;
  const policy = memoryPolicy(cluster);
  await Promise.all(
    cluster.hosts.filter((h) => engine.hosts.reachable(h.id)).map((h) => succeeded(engine.hosts.setMemoryPolicy(h, policy))),
  );
}
