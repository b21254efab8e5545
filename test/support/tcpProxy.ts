// A TCP relay between a host agent and the engine (or an engine and PostgreSQL), which a test can
// cut (open connections are dropped and new ones refused), freeze (a silent partition: nothing
// passes either way, and no side learns of it, as when a network path dies without a reset), and
// heal again.
import net from 'node:net';

export interface TcpProxy {
  /** The engine URL to give the agent: the target's, through the relay. */
  url: string;
  cut(): void;
  freeze(): void;
  heal(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  let open = true;
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    if (frozen) {
      // Nothing answers: the connection hangs until the caller gives up (or the relay stops).
      sockets.add(client);
      client.on('error', () => {});
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    const relay = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk: Buffer) => {
        if (!frozen) to.write(chunk);
      });
      from.on('close', () => {
        if (!frozen) to.destroy();
      });
    };
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    freeze() {
      frozen = true;
    },
    heal() {
      open = true;
      frozen = false;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
