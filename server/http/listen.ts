// The engine's HTTP server: GraphQL over HTTP (and SSE) through Yoga, the portals, and GraphQL
// over WebSocket through graphql-ws, all on one port.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { YogaApp } from './app.ts';
import { attachWebSocket } from './websocket.ts';
import { serveUi } from './static.ts';

/** HTTP (GraphQL, the portals) + WebSocket server on host:port; `stop()` closes open sockets too. */
export async function listen(yoga: YogaApp, host: string, port: number) {
  const server = http.createServer(serveUi(yoga));
  const wsServer = attachWebSocket(server, yoga);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}${yoga.graphqlEndpoint}`,
    port: address.port,
    async stop() {
      await wsServer.dispose();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
