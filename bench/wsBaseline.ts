// Bench worker: the limit for fan-out. A bare `ws` server, no GraphQL, no database: each report
// a raw agent sends is parsed and its host sample (and VM samples, for VM subscribers) is
// broadcast to the sockets watching that cluster, in graphql-ws `next` frames of the same shape
// the engine sends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { reply } from './workers.ts';

const server = http.createServer();
const wss = new WebSocketServer({ server });
const watchers = new Map<string, Set<WebSocket>>(); // `${kind}:${cluster}`

function broadcast(key: string, field: string, event: unknown) {
  const set = watchers.get(key);
  if (!set?.size) return;
  const frame = JSON.stringify({ id: '1', type: 'next', payload: { data: { [field]: event } } });
  for (const ws of set) ws.send(frame);
}

wss.on('connection', (ws, req) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  if (q.get('role') === 'sub') {
    const key = `${q.get('kind')}:${q.get('cluster')}`;
    const set = watchers.get(key) ?? new Set();
    set.add(ws);
    watchers.set(key, set);
    ws.on('close', () => set.delete(ws));
    return;
  }
  ws.on('message', (data) => {
    const { hostId, clusterId, report } = JSON.parse(String(data));
    const sampledAt = new Date().toISOString();
    const runningVms = report.domains.filter((d: { state: string }) => d.state !== 'DOWN').length;
    broadcast(`host:${clusterId}`, 'hostStats', { ...report.host, hostId, clusterId, runningVms, sampledAt });
    if (watchers.get(`vm:${clusterId}`)?.size)
      for (const d of report.domains) broadcast(`vm:${clusterId}`, 'vmStats', { vmId: d.id, hostId, clusterId, ...d.sample, sampledAt });
  });
});

server.listen(0, '127.0.0.1', () => reply({ type: 'listening', url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
process.on('message', (msg: any) => {
  if (msg.type === 'stop') {
    for (const c of wss.clients) c.terminate();
    server.close();
    process.exit(0);
  }
});
