import { builder } from '../builder.ts';

export const AgentSessionRef = builder
  .objectRef<{
    hostId: string;
    reportIntervalMs: number;
    networkLayout: string | null;
    storageDomains: string;
    memoryPolicy: string;
    memoryVms: string;
  }>('AgentSession')
  .implement({
    description: 'What the engine tells an agent that said hello.',
    fields: (t) => ({
      hostId: t.exposeString('hostId', { description: 'Database id of the host (not a global id).' }),
      reportIntervalMs: t.exposeInt('reportIntervalMs'),
      networkLayout: t.exposeString('networkLayout', {
        nullable: true,
        description: 'Protocol NetworkLayout as JSON, for a host that came back without any network: apply it, then say hello again.',
      }),
      storageDomains: t.exposeString('storageDomains', {
        description:
          "Protocol DomainConnection[] as JSON: the storage domains of the host's data center it reaches itself; connect them and report their health.",
      }),
      memoryPolicy: t.exposeString('memoryPolicy', {
        description: "Protocol MemoryPolicy as JSON: MOM's ballooning and KSM policy, from the host's cluster.",
      }),
      memoryVms: t.exposeString('memoryVms', {
        description:
          'Protocol MemoryVm[] as JSON: memory, guaranteed memory and ballooning of each VM the engine has on the host, for MOM to manage those it finds running.',
      }),
    }),
  });
