// The engine's console proxy, as oVirt's websocket proxy: a browser's noVNC opens
// /console/<pass> on the engine; the engine uses up the one-time pass consoleTicket made, then
// relays the WebSocket to the VNC WebSocket QEMU listens on at the VM's host. Browsers never
// reach hosts; a pass works once. A refusal closes the WebSocket with a code and the reason.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
import WebSocket, { WebSocketServer, createWebSocketStream } from 'ws';
import type { Engine } from '../engine.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { consoleAddress } from '../console/remoteViewer.ts';
import { CONSOLE_PROXY_PATH, useProxyTicket } from '../console/proxyTickets.ts';

/** WebSocket close codes (4000-4999 are the application's) a refused browser gets, with the reason. */
export const CONSOLE_CLOSE = { UNKNOWN: 4401, USED: 4410, EXPIRED: 4410, MOVED: 4409, HOST: 4502, ENGINE: 4500 } as const;

const REFUSED = {
  UNKNOWN: 'No such console ticket: ask for one with consoleTicket.',
  USED: 'This console ticket was already used: ask for a new one.',
  EXPIRED: 'This console ticket has expired: ask for a new one.',
} as const;

/** How long the VM's host has to take the console connection. */
const HOST_TIMEOUT_MS = 10_000;

/** A close reason fits in 123 bytes (RFC 6455). */
function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = `${out.slice(0, -2)}…`;
  return out;
}

/** An address in a URL: IPv6 in brackets. */
const urlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

export function consoleProxy(engine: Engine, maxPayload: number) {
  // QEMU's WebSocket server speaks the "binary" subprotocol; a browser that offers it gets it.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has('binary') ? 'binary' : false),
  });
  const open = new Set<WebSocket>();

  /** Completes the browser's upgrade only to close it saying why: browsers cannot read a refused handshake. */
  function refuse(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string) {
    wss.handleUpgrade(req, socket, head, (browser) => browser.close(code, closeReason(reason)));
  }

  async function connect(req: IncomingMessage, socket: Duplex, head: Buffer, pass: string) {
    const use = await useProxyTicket(engine.db, pass, engine.now());
    if (!use.ok) return refuse(req, socket, head, CONSOLE_CLOSE[use.reason], REFUSED[use.reason]);
    const vm = await engine.db.vm.findUnique({
      where: { id: use.vmId },
      select: {
        id: true,
        name: true,
        hostId: true,
        host: { select: { name: true, address: true } },
        statistics: { select: { displayAddress: true, displayWebsocketPort: true } },
      },
    });
    // The console as monitoring last heard it (memory first: the database's row is written in batches).
    const display = vm && (engine.monitoring.live.vm(vm.id) ?? vm.statistics);
    const port = display?.displayWebsocketPort;
    if (!vm?.host || vm.hostId !== use.hostId || !display || !port)
      return refuse(req, socket, head, CONSOLE_CLOSE.MOVED, `VM ${vm?.name ?? '(removed)'} stopped or moved since the ticket was made.`);
    const host = vm.host;
    const target = `ws://${urlHost(consoleAddress(display.displayAddress, host.address))}:${port}`;
    const upstream = new WebSocket(target, ['binary'], { handshakeTimeout: HOST_TIMEOUT_MS, perMessageDeflate: false });
    const browserGone = () => upstream.terminate();
    socket.once('close', browserGone);
    upstream.once('error', (e) => {
      socket.off('close', browserGone);
      refuse(req, socket, head, CONSOLE_CLOSE.HOST, `Host ${host.name} did not take the console connection: ${e.message}`);
    });
    upstream.once('open', () => {
      socket.off('close', browserGone);
      wss.handleUpgrade(req, socket, head, (browser) => relay(browser, upstream, { ...use, vmName: vm.name, vmId: vm.id, req }));
    });
  }

  function relay(
    browser: WebSocket,
    upstream: WebSocket,
    s: { vmId: string; vmName: string; hostId: string; userName: string; req: IncomingMessage },
  ) {
    open.add(browser).add(upstream);
    const objects = { vmId: s.vmId, hostId: s.hostId };
    const event = (code: 'VM_CONSOLE_CONNECTED' | 'VM_CONSOLE_DISCONNECTED', vars: Record<string, string> = {}) =>
      writeAuditLog(engine.db, { code, vars: { vmName: s.vmName, ...vars }, objects, userName: s.userName })
        .then((id) => engine.pubsub.publish('audit:created', { id }))
        .catch((e) => console.error('console proxy: event not written:', e));
    void event('VM_CONSOLE_CONNECTED', { clientAddress: s.req.socket.remoteAddress ?? 'unknown' });
    const toHost = createWebSocketStream(browser);
    const toBrowser = createWebSocketStream(upstream);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      open.delete(browser);
      open.delete(upstream);
      toHost.destroy();
      toBrowser.destroy();
      void event('VM_CONSOLE_DISCONNECTED');
    };
    // Either side ending or failing ends both.
    pipeline(toHost, toBrowser, end);
    pipeline(toBrowser, toHost, end);
  }

  return {
    /** Whether an upgrade request is the proxy's. */
    handles: (pathname: string) => pathname.startsWith(CONSOLE_PROXY_PATH),
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pathname: string) {
      socket.on('error', () => socket.destroy());
      connect(req, socket, head, decodeURIComponent(pathname.slice(CONSOLE_PROXY_PATH.length))).catch((e) => {
        console.error('console proxy:', e);
        if (socket.writable) refuse(req, socket, head, CONSOLE_CLOSE.ENGINE, 'The console connection failed in the engine.');
      });
    },
    close() {
      for (const ws of open) ws.terminate();
      wss.close();
    },
  };
}
