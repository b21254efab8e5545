import { builder } from '../builder.ts';
import { HostRef } from './host.ts';
import { FenceAction, PowerState } from './enums.ts';
import type { FenceHostResult } from '../../server/actions/fencing/fenceHost.ts';

builder.objectRef<FenceHostResult>('FenceHostResult').implement({
  description: 'What a power management operation did.',
  fields: (t) => ({
    host: t.field({ type: HostRef, nullable: true, resolve: (r, _a, ctx) => ctx.db.host.findUnique({ where: { id: r.host.id } }) }),
    action: t.field({ type: FenceAction, resolve: (r) => r.action }),
    power: t.field({ type: PowerState, nullable: true, resolve: (r) => r.power, description: 'The power state the device reported.' }),
    agent: t.exposeString('agent', { description: 'The fence agent that did it.' }),
    vmsSetDown: t.int({ resolve: (r) => r.released.length, description: 'VMs set Down because the host was powered off.' }),
  }),
});
