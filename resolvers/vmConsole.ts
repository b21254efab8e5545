// The console of a running VM: where it listens (Vm.console) and a one-time password with a
// remote-viewer connection file (consoleTicket), as oVirt's graphics consoles and console.vv.
import { builder } from '../schema/builder.ts';
import { DisplayType } from '../schema/types/enums.ts';
import type { ConsoleTicket } from '../server/actions/vm/consoleTicket.ts';
import { consoleAddress, type ConsoleEndpoint } from '../server/console/remoteViewer.ts';

const endpointFields = (
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, ConsoleEndpoint>,
) => ({
  protocol: t.field({ type: DisplayType, resolve: (c) => c.protocol }),
  address: t.exposeString('address', { description: "Where a console client connects: the address the host reported, or the host's own." }),
  port: t.exposeInt('port'),
  tlsPort: t.exposeInt('tlsPort', { nullable: true, description: 'SPICE over TLS.' }),
  websocketPort: t.int({
    nullable: true,
    description: 'VNC over WebSocket (subprotocol "binary"), for browser clients such as noVNC; null when the host offers none.',
    resolve: (c) => c.websocketPort ?? null,
  }),
});

const VmConsoleRef = builder.objectRef<ConsoleEndpoint>('VmConsole').implement({
  description: 'The remote console of a running VM, as its host reports it.',
  fields: endpointFields,
});

builder.objectRef<ConsoleTicket>('ConsoleTicket').implement({
  description: "A one-time console password set on the VM's host, and the file a console client opens.",
  fields: (t) => ({
    ...endpointFields(t as never),
    password: t.exposeString('password'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    remoteViewerFile: t.exposeString('remoteViewerFile', {
      description: 'A virt-viewer (.vv) connection file: open it with remote-viewer.',
    }),
    proxyPath: t.exposeString('proxyPath', {
      nullable: true,
      description:
        'Where a browser client (noVNC) opens the console through the engine: a WebSocket path on the engine (subprotocol "binary"), usable once until expiresAt, then VNC authentication with the password. Null unless the console is VNC with a WebSocket port (a simulated host offers none).',
    }),
  }),
});

builder.prismaObjectFields('Vm', (t) => ({
  console: t.field({
    type: VmConsoleRef,
    nullable: true,
    description: 'Null while the VM has no console (Down, or not yet reported by its host).',
    select: {
      id: true,
      host: { select: { address: true } },
      statistics: {
        select: { displayType: true, displayAddress: true, displayPort: true, displayTlsPort: true, displayWebsocketPort: true },
      },
    },
    resolve: (vm, _a, ctx) => {
      const s = ctx.engine.monitoring.live.vm(vm.id) ?? vm.statistics;
      if (!vm.host || !s?.displayPort || !s.displayType) return null;
      return {
        protocol: s.displayType,
        address: consoleAddress(s.displayAddress, vm.host.address),
        port: s.displayPort,
        tlsPort: s.displayTlsPort,
        websocketPort: s.displayWebsocketPort,
      };
    },
  }),
}));
