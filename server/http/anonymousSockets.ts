// How many GraphQL WebSockets one client address may hold open without having shown who it is:
// a socket counts from its upgrade until its connection_init carries a valid session or API token
// (connectionParams.authorization) or a host agent's token (connectionParams.host and .token), and
// for as long as it is open when it never does. Beyond the limit a new socket is closed at once
// with ANONYMOUS_SOCKETS_CLOSE. graphql-ws closes a socket without connection_init after
// CONNECTION_INIT_WAIT_MS (4408), so a silent socket holds its place only that long.
import type { WebSocket } from 'ws';

export const ANONYMOUS_SOCKETS_CLOSE = { code: 4430, reason: 'Too many unauthenticated WebSockets from this address' } as const;
export const CONNECTION_INIT_WAIT_MS = 3000;

export class AnonymousSockets {
  private readonly byAddress = new Map<string, Set<WebSocket>>();
  constructor(private readonly max: number) {}

  /** Counts a new socket of `address`; false (not counted) when the address already holds the most. */
  opened(address: string, socket: WebSocket): boolean {
    const held = this.byAddress.get(address) ?? new Set<WebSocket>();
    if (held.size >= this.max) return false;
    held.add(socket);
    this.byAddress.set(address, held);
    return true;
  }

  /** The socket no longer counts: it showed a valid token, or closed. */
  release(address: string, socket: WebSocket): void {
    const held = this.byAddress.get(address);
    if (!held?.delete(socket) || held.size) return;
    this.byAddress.delete(address);
  }
}
