import { builder } from '../builder.ts';

export const AgentTokenRef = builder.objectRef<{ host: { id: string; name: string }; token: string }>('HostAgentToken').implement({
  description: 'A host agent token; shown once, only its hash is stored.',
  fields: (t) => ({
    hostName: t.string({ resolve: (r) => r.host.name }),
    token: t.exposeString('token', { description: 'Give it to the agent: `npm run agent -- --name HOST --token TOKEN`.' }),
  }),
});
