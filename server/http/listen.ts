// The engine's HTTP server: GraphQL over HTTP (and SSE) through Yoga, the portals, GraphQL over
// WebSocket through graphql-ws, and the console proxy's WebSockets, all on one port.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { YogaApp } from './app.ts';
import { graphqlWebSocket } from './websocket.ts';
import { consoleProxy } from './consoleProxy.ts';
import { serveUi } from './static.ts';
import { loadConfig } from '../config.ts';

/** HTTP (GraphQL, the portals) + WebSocket server on host:port; `stop()` closes open sockets too. */
export async function listen(yoga: YogaApp, host: string, port: number) {
  const server = http.createServer(serveUi(yoga));
  // Node cuts any request after 5 minutes; ISO and OVA uploads stream for as long as they take.
  // A request's headers must still come within headersTimeout (60 s), and GraphQL bodies are
  // capped by VIREO_MAX_REQUEST_BYTES.
  server.requestTimeout = 0;
  const graphql = graphqlWebSocket(yoga);
  const consoles = consoleProxy(yoga.engine, loadConfig().VIREO_MAX_REQUEST_BYTES);
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://engine').pathname;
    if (pathname === yoga.graphqlEndpoint) graphql.upgrade(req, socket, head);
    else if (consoles.handles(pathname)) consoles.upgrade(req, socket, head, pathname);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
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
      await graphql.dispose();
      consoles.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
