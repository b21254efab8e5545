// What one WebSocket and one user may hold open: operations per socket, sockets and operations
// per user. Beyond them an operation is answered with LIMIT_EXCEEDED; the socket stays.
import { GraphQLError } from 'graphql';
import type { Context as SocketContext } from 'graphql-ws';
import { loadConfig } from '../config.ts';

const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'LIMIT_EXCEEDED' } });

export class SocketLimits {
  /** Operations let through on each socket that are still open (graphql-ws drops ended ones from `subscriptions`). */
  private readonly running = new Map<SocketContext, Set<string>>();
  /** The sockets of each logged-in user that has run an operation on them. */
  private readonly byUser = new Map<string, Set<SocketContext>>();
  private readonly userOf = new Map<SocketContext, string>();
  private readonly limits = (({ VIREO_WS_MAX_OPERATIONS, VIREO_MAX_SOCKETS_PER_USER, VIREO_MAX_OPERATIONS_PER_USER }) => ({
    perSocket: VIREO_WS_MAX_OPERATIONS,
    socketsPerUser: VIREO_MAX_SOCKETS_PER_USER,
    perUser: VIREO_MAX_OPERATIONS_PER_USER,
  }))(loadConfig());

  /** Lets operation `id` start on the socket, or says why not (checked and counted in one step). */
  admit(socket: SocketContext, id: string, userId: string | null): GraphQLError | null {
    const open = (s: SocketContext) => {
      const ids = this.running.get(s) ?? new Set<string>();
      for (const running of ids) if (!(running in s.subscriptions)) ids.delete(running);
      this.running.set(s, ids);
      return ids;
    };
    const here = open(socket);
    if (here.size >= this.limits.perSocket) return refused(`At most ${this.limits.perSocket} operations at once on one WebSocket.`);
    if (userId) {
      const mine = this.byUser.get(userId) ?? new Set<SocketContext>();
      if (!mine.has(socket) && mine.size >= this.limits.socketsPerUser)
        return refused(`At most ${this.limits.socketsPerUser} WebSockets per user.`);
      let total = 0;
      for (const s of mine) total += open(s).size;
      if (total >= this.limits.perUser) return refused(`At most ${this.limits.perUser} operations at once per user.`);
      mine.add(socket);
      this.byUser.set(userId, mine);
      this.userOf.set(socket, userId);
    }
    here.add(id);
    return null;
  }

  closed(socket: SocketContext): void {
    this.running.delete(socket);
    const userId = this.userOf.get(socket);
    if (userId === undefined) return;
    this.userOf.delete(socket);
    const mine = this.byUser.get(userId)!;
    mine.delete(socket);
    if (!mine.size) this.byUser.delete(userId);
  }
}
