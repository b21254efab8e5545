// The agent-facing operations (each needs the host's agent token) and the administrator's
// mutation that issues that token. User-facing subscriptions are in liveUpdates.ts.
import type { z } from 'zod';
import { map, pipe } from 'graphql-yoga';
import { builder } from '../schema/builder.ts';
import type { Context } from '../schema/context.ts';
import { AgentSessionRef } from '../schema/types/agentSession.ts';
import { ForbiddenError, InputError } from '../server/errors.ts';
import { AgentHello, AgentReport, CommandResult, MemoryEvents } from '../protocol/messages.ts';
import { hostConnections } from '../server/storage/domainConnections.ts';
import { hostMemoryPolicy, hostMemoryVms } from '../server/memory/memoryPolicy.ts';
import { recordMemoryEvents } from '../server/memory/memoryEvents.ts';

async function agentHost(ctx: Context, host: string, token: string) {
  const found = await ctx.engine.monitoring.authenticate(host, token);
  if (!found) throw new ForbiddenError(`act as the agent of host ${host}`);
  return found;
}

function decode<S extends z.ZodType>(schema: S, payload: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new InputError([{ path: 'payload', message: 'is not JSON' }]);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new InputError(r.error.issues.map((i) => ({ path: ['payload', ...i.path].join('.'), message: i.message })));
  return r.data;
}

builder.mutationFields((t) => ({
  agentHello: t.field({
    skipTypeScopes: true, // no user session: the host token is checked instead
    type: AgentSessionRef,
    description: 'Agent only: (re)connects a host agent and records its host capabilities. Payload: protocol AgentHello as JSON.',
    args: { host: t.arg.string({ required: true }), token: t.arg.string({ required: true }), payload: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const host = await agentHost(ctx, args.host, args.token);
      const resend = await ctx.engine.monitoring.hello(host, decode(AgentHello, args.payload));
      return {
        hostId: host.id,
        reportIntervalMs: ctx.engine.monitoring.reportIntervalMs,
        networkLayout: resend ? JSON.stringify(resend) : null,
        storageDomains: JSON.stringify(await hostConnections(ctx.engine.db, host.id)),
        memoryPolicy: JSON.stringify(await hostMemoryPolicy(ctx.engine.db, host.id)),
        memoryVms: JSON.stringify(await hostMemoryVms(ctx.engine.db, host.id)),
      };
    },
  }),
  agentReport: t.boolean({
    skipTypeScopes: true, // no user session: the host token is checked instead
    description: 'Agent only: the full state and statistics of the host and its VMs. Payload: protocol AgentReport as JSON.',
    args: { host: t.arg.string({ required: true }), token: t.arg.string({ required: true }), payload: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const host = await agentHost(ctx, args.host, args.token);
      await ctx.engine.monitoring.report(host, decode(AgentReport, args.payload));
      return true;
    },
  }),
  agentMemoryEvents: t.boolean({
    skipTypeScopes: true, // no user session: the host token is checked instead
    description: "Agent only: what the host's MOM changed (balloons, KSM), for the event log. Payload: protocol MemoryEvents as JSON.",
    args: { host: t.arg.string({ required: true }), token: t.arg.string({ required: true }), payload: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const host = await agentHost(ctx, args.host, args.token);
      const ids = await recordMemoryEvents(ctx.engine.db, host, decode(MemoryEvents, args.payload).events, ctx.engine.now());
      for (const id of ids) ctx.engine.pubsub.publish('audit:created', { id });
      return true;
    },
  }),
  agentCommandResult: t.boolean({
    skipTypeScopes: true, // no user session: the host token is checked instead
    description: 'Agent only: the outcome of a command received on agentCommands. Payload: protocol CommandResult as JSON.',
    args: { host: t.arg.string({ required: true }), token: t.arg.string({ required: true }), payload: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      await agentHost(ctx, args.host, args.token);
      ctx.engine.hosts.complete(decode(CommandResult, args.payload));
      return true;
    },
  }),
}));

builder.subscriptionField('agentCommands', (t) =>
  t.string({
    skipTypeScopes: true, // no user session: the host token is checked instead
    description: 'Agent only: the commands the engine sends this host (protocol CommandEnvelope as JSON).',
    args: { host: t.arg.string({ required: true }), token: t.arg.string({ required: true }) },
    subscribe: async (_r, args, ctx) => {
      const host = await agentHost(ctx, args.host, args.token);
      return pipe(
        ctx.engine.hosts.channel(host.id),
        map((envelope) => JSON.stringify(envelope)),
      );
    },
    resolve: (envelope: string) => envelope,
  }),
);
