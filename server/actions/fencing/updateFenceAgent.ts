// UpdateFenceAgent: change a fence agent; a field left out keeps its value (the password too).
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { fenceAgentExists, fenceAgentSubject } from './fenceAgentLookup.ts';
import { fenceAgentFields, optionsObject, optionsUnique, programKnown } from './fenceAgentSettings.ts';

const f = fenceAgentFields;

export const updateFenceAgent = defineAction({
  type: 'UpdateFenceAgent',
  title: 'update a fence agent',
  actionGroup: 'EDIT_HOST_CONFIGURATION',
  subject: (p, db) => fenceAgentSubject(p.id, db),
  params: z.object({
    id: nodeId('FenceAgent', 'id'),
    type: f.type.optional(),
    address: f.address.optional(),
    port: f.port.optional(),
    username: f.username.optional(),
    password: f.password.optional().describe('A new password; left out, the stored one stays.'),
    options: f.options.optional(),
    order: f.order.optional(),
  }),
  locks: (p) => [lockKey('FenceAgent', p.id)],
  async validate({ tx, engine }, p) {
    await fenceAgentExists(tx, p.id);
    return [programKnown(engine, p.type), optionsUnique(p.options)];
  },
  async execute({ tx, engine, publish }, { id, password, options, ...fields }) {
    const agent = await tx.fenceAgent.update({
      where: { id },
      data: {
        ...fields,
        ...(password !== undefined ? { passwordEncrypted: engine.secrets.seal(password) } : {}),
        ...(options !== undefined ? { options: optionsObject(options) } : {}),
      },
      include: { host: { select: { id: true, name: true, clusterId: true } } },
    });
    publish('host:changed', { id: agent.hostId, kind: 'updated' });
    return agent;
  },
  audit: (a) => ({
    code: 'FENCE_AGENT_UPDATED',
    vars: { hostName: a.host.name, agent: `fence_${a.type} at ${a.address}` },
    objects: { hostId: a.host.id, clusterId: a.host.clusterId },
  }),
  api: {
    mutation: 'updateFenceAgent',
    description: 'Change a fence agent; fields left out (the password too) keep their values.',
    payload: { field: 'fenceAgent', type: 'FenceAgent' },
  },
});
