import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';
import { newAgentToken } from '../../monitoring/agentToken.ts';

/**
 * Issues a new token for a host's agent and returns it once; only its hash is kept, and the
 * previous token stops working (connected agents are refused at their next message).
 */
export const issueHostAgentToken = defineAction({
  type: 'IssueHostAgentToken',
  title: 'issue an agent token',
  actionGroup: 'MANIPULATE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({ hostId: nodeId('Host', 'hostId') }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    found(await tx.host.findUnique({ where: { id: p.hostId }, select: { id: true } }), 'Host', p.hostId);
    return [];
  },
  async execute({ tx, publish }, p) {
    const { token, hash } = newAgentToken();
    const host = await tx.host.update({
      where: { id: p.hostId },
      data: { agentTokenHash: hash },
      select: { id: true, name: true, clusterId: true },
    });
    publish('host:changed', { id: host.id, kind: 'updated' }); // monitoring forgets the old token it had checked
    return { host, token };
  },
  audit: ({ host }) => ({
    code: 'VDS_AGENT_TOKEN_ISSUED',
    vars: { hostName: host.name },
    objects: { hostId: host.id, clusterId: host.clusterId },
  }),
  api: {
    mutation: 'issueHostAgentToken',
    description: 'Issue a new token for the host agent (the previous one stops working). The token is shown only here.',
    payload: { field: 'agentToken', type: 'HostAgentToken' },
  },
});
