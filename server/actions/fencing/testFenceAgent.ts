// TestFenceAgent (oVirt's "Test" in the power management dialog): the status through one agent.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { fenceAgentExists, fenceAgentSubject } from './fenceAgentLookup.ts';
import { ActionFailedError } from '../../errors.ts';
import { describeAgent } from '../../fencing/powerManagement.ts';

const TITLE = 'test a fence agent';

export const testFenceAgent = defineAction({
  type: 'TestFenceAgent',
  title: TITLE,
  actionGroup: 'MANIPULATE_HOST',
  subject: (p, db) => fenceAgentSubject(p.id, db),
  params: z.object({ id: nodeId('FenceAgent', 'id') }),
  locks: (p) => [lockKey('FenceAgent', p.id)],
  validate: ({ tx }, p) => fenceAgentExists(tx, p.id),
  async prepare({ tx }, p) {
    return tx.fenceAgent.findUniqueOrThrow({
      where: { id: p.id },
      include: { host: { select: { id: true, name: true, clusterId: true } } },
    });
  },
  async onHost(ctx, _p, agent) {
    const r = await ctx.engine.power.run(agent, 'status');
    if (!r.ok) throw new ActionFailedError(TITLE, `${describeAgent(agent)}: ${r.message}`);
    return r.power ?? 'ON';
  },
  async execute(_ctx, _p, agent, power) {
    return { agent, power };
  },
  audit: ({ agent, power }) => ({
    code: 'FENCE_AGENT_TESTED',
    vars: { hostName: agent.host.name, agent: describeAgent(agent), power },
    objects: { hostId: agent.host.id, clusterId: agent.host.clusterId },
  }),
  api: {
    mutation: 'testFenceAgent',
    description: 'Ask the power state through one fence agent (the Test button): it answers ON or OFF, or fails saying why.',
    payload: { field: 'result', type: 'FenceAgentTestResult' },
    result: (r) => ({ fenceAgent: r.agent, power: r.power }),
  },
});
