// An agent (re)connected: record its host's capabilities and NICs.
import type { Db } from '../db.ts';
import type { AgentHello } from '../../protocol/messages.ts';
import { analyzeCapabilities } from './analyzeHost.ts';

export async function applyHello(db: Db, hostId: string, hello: AgentHello, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const nics = await tx.hostNic.findMany({ where: { hostId }, select: { name: true, macAddress: true, speedMbps: true } });
    const c = analyzeCapabilities(nics, hello.capabilities, hello.agentVersion);
    await tx.host.update({ where: { id: hostId }, data: { ...c.host, capabilities: hello.capabilities, lastSeenAt: now } });
    if (c.nicsToCreate.length) await tx.hostNic.createMany({ data: c.nicsToCreate.map((n) => ({ ...n, hostId })) });
    for (const n of c.nicsToUpdate) await tx.hostNic.update({ where: { hostId_name: { hostId, name: n.name } }, data: n });
    if (c.nicsToRemove.length) await tx.hostNic.deleteMany({ where: { hostId, name: { in: c.nicsToRemove } } });
  });
}
