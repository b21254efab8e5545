import { builder } from '../builder.ts';
import { FenceAgentRef } from './fenceAgent.ts';
import { PowerState } from './enums.ts';

builder.objectRef<{ fenceAgent: { id: string }; power: 'ON' | 'OFF' }>('FenceAgentTestResult').implement({
  description: 'The answer of one fence agent to a status request.',
  fields: (t) => ({
    fenceAgent: t.field({
      type: FenceAgentRef,
      nullable: true,
      resolve: (r, _a, ctx) => ctx.db.fenceAgent.findUnique({ where: { id: r.fenceAgent.id } }),
    }),
    power: t.field({ type: PowerState, resolve: (r) => r.power }),
  }),
});
