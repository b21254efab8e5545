// AddFenceAgent (oVirt's power management of a host): one more way to control the host's power.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';
import { fenceAgentFields, optionsObject, optionsUnique, programKnown } from './fenceAgentSettings.ts';

const f = fenceAgentFields;

export const addFenceAgent = defineAction({
  type: 'AddFenceAgent',
  title: 'add a fence agent',
  actionGroup: 'EDIT_HOST_CONFIGURATION',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({
    hostId: nodeId('Host', 'host'),
    type: f.type,
    address: f.address,
    port: f.port.default(''),
    username: f.username.default(''),
    password: f.password.default(''),
    options: f.options.default([]),
    order: f.order.optional().describe('Agents are tried in this order, lowest first; default: after the others.'),
  }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx, engine }, p) {
    found(await tx.host.findUnique({ where: { id: p.hostId }, select: { id: true } }), 'Host', p.hostId);
    return [programKnown(engine, p.type), optionsUnique(p.options)];
  },
  async execute({ tx, engine, publish }, p) {
    const last = await tx.fenceAgent.aggregate({ where: { hostId: p.hostId }, _max: { order: true } });
    const agent = await tx.fenceAgent.create({
      data: {
        hostId: p.hostId,
        order: p.order ?? (last._max.order ?? 0) + 1,
        type: p.type,
        address: p.address,
        port: p.port,
        username: p.username,
        passwordEncrypted: engine.secrets.seal(p.password),
        options: optionsObject(p.options),
      },
      include: { host: { select: { id: true, name: true, clusterId: true } } },
    });
    publish('host:changed', { id: p.hostId, kind: 'updated' });
    return agent;
  },
  audit: (a) => ({
    code: 'FENCE_AGENT_ADDED',
    vars: { hostName: a.host.name, agent: `fence_${a.type} at ${a.address}` },
    objects: { hostId: a.host.id, clusterId: a.host.clusterId },
  }),
  api: {
    mutation: 'addFenceAgent',
    description: "Add a fence agent to a host's power management (its password is stored encrypted and never shown).",
    payload: { field: 'fenceAgent', type: 'FenceAgent' },
  },
});
