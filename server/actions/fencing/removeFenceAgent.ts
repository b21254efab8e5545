// RemoveFenceAgent: the host loses one way to control its power.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { fenceAgentExists, fenceAgentSubject } from './fenceAgentLookup.ts';

export const removeFenceAgent = defineAction({
  type: 'RemoveFenceAgent',
  title: 'remove a fence agent',
  actionGroup: 'EDIT_HOST_CONFIGURATION',
  subject: (p, db) => fenceAgentSubject(p.id, db),
  params: z.object({ id: nodeId('FenceAgent', 'id') }),
  locks: (p) => [lockKey('FenceAgent', p.id)],
  validate: ({ tx }, p) => fenceAgentExists(tx, p.id),
  async execute({ tx, publish }, p) {
    const agent = await tx.fenceAgent.delete({
      where: { id: p.id },
      include: { host: { select: { id: true, name: true, clusterId: true } } },
    });
    publish('host:changed', { id: agent.hostId, kind: 'updated' });
    return agent;
  },
  audit: (a) => ({
    code: 'FENCE_AGENT_REMOVED',
    vars: { hostName: a.host.name, agent: `fence_${a.type} at ${a.address}` },
    objects: { hostId: a.host.id, clusterId: a.host.clusterId },
  }),
  api: {
    mutation: 'removeFenceAgent',
    description: "Remove a fence agent from a host's power management.",
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'FenceAgent', id: r.id }),
  },
});
