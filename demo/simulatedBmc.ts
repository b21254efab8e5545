// A simulated baseboard management controller (IPMI/Redfish's role) for simulated hosts: an HTTP
// server that the fence agent of the demo and the tests (demo/fence/fence_vireo_sim) asks for a plug's power
// state, or to power it off or on, with a user name and password it checks. Each plug controls
// one host: off stops the host's agent (its VMs die with it), on starts it again with nothing running.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/** What the fence agent program for this BMC is called and where it is. */
export const SIM_FENCE_TYPE = 'vireo_sim';
export const SIM_FENCE_DIR = path.resolve(import.meta.dirname, 'fence');

export interface Plug {
  power(): 'ON' | 'OFF';
  on(): Promise<void>;
  off(): Promise<void>;
}

export interface SimulatedBmc {
  address: string;
  port: number;
  /** `ipport=<port>` for the fence agent's options. */
  options: { key: string; value: string }[];
  plug(name: string, plug: Plug): void;
  /** Every request, in order (action and plug; never the password). */
  requests: { action: string; plug: string }[];
  /** Makes the next requests fail with this message (null: work again). */
  failWith(message: string | null): void;
  stop(): Promise<void>;
}

export async function startSimulatedBmc(credentials: { username: string; password: string }): Promise<SimulatedBmc> {
  const plugs = new Map<string, Plug>();
  const requests: { action: string; plug: string }[] = [];
  let failure: string | null = null;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      void (async () => {
        const answer = (status: number, value: object) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        const name = decodeURIComponent(req.url?.replace(/^\/power\//, '') ?? '');
        const { action, username, password } = JSON.parse(body || '{}') as Record<string, string>;
        if (username !== credentials.username || password !== credentials.password) return answer(401, { error: 'bad credentials' });
        const plug = plugs.get(name);
        if (!plug) return answer(404, { error: `no plug ${name}` });
        requests.push({ action: action ?? '', plug: name });
        if (failure) return answer(500, { error: failure });
        if (action === 'on' && plug.power() === 'OFF') await plug.on();
        else if (action === 'off' && plug.power() === 'ON') await plug.off();
        else if (action !== 'status' && action !== 'on' && action !== 'off') return answer(400, { error: `unknown action ${action}` });
        answer(200, { power: plug.power() });
      })().catch((err: Error) => {
        res.writeHead(500);
        res.end(JSON.stringify({ error: err.message }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    address: '127.0.0.1',
    port,
    options: [{ key: 'ipport', value: String(port) }],
    plug: (name, plug) => plugs.set(name, plug),
    requests,
    failWith: (message) => {
      failure = message;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
