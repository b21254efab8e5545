// One-time passes to the engine's console proxy: made with a console ticket, used up by the first
// WebSocket that presents one before it expires. Kept in the database (a SHA-256 of each), so any
// engine sharing it can take the connection, and a pass is used once whichever engine sees it.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db.ts';

/** Where browsers open the proxy: `${CONSOLE_PROXY_PATH}<pass>` on the engine's own origin. */
export const CONSOLE_PROXY_PATH = '/console/';

const PREFIX = 'vireo_console_';
const sha256 = (pass: string) => createHash('sha256').update(pass).digest('hex');

/** Makes a pass to the VM's console on its host for `validSeconds`; returns the proxy's path holding it. */
export async function issueProxyTicket(
  tx: Tx,
  t: { vmId: string; hostId: string; userName: string; validSeconds: number; now: Date },
): Promise<string> {
  const pass = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  // Passes past their time are of no use to anyone: they go as new ones come.
  await tx.consoleProxyTicket.deleteMany({ where: { expiresAt: { lt: t.now } } });
  await tx.consoleProxyTicket.create({
    data: {
      tokenHash: sha256(pass),
      vmId: t.vmId,
      hostId: t.hostId,
      userName: t.userName,
      expiresAt: new Date(t.now.getTime() + t.validSeconds * 1000),
    },
  });
  return `${CONSOLE_PROXY_PATH}${pass}`;
}

export type ProxyTicketUse =
  | { ok: true; vmId: string; hostId: string; userName: string }
  | { ok: false; reason: 'UNKNOWN' | 'USED' | 'EXPIRED' };

/** Uses up the pass in a proxy path: at most one caller, on any engine, gets `ok`. */
export async function useProxyTicket(db: Db, pass: string, now: Date): Promise<ProxyTicketUse> {
  if (!/^vireo_console_[A-Za-z0-9_-]{43}$/.test(pass)) return { ok: false, reason: 'UNKNOWN' };
  const tokenHash = sha256(pass);
  const taken = await db.consoleProxyTicket.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  const row = await db.consoleProxyTicket.findUnique({ where: { tokenHash } });
  if (!row) return { ok: false, reason: 'UNKNOWN' };
  if (taken.count === 1) return { ok: true, vmId: row.vmId, hostId: row.hostId, userName: row.userName };
  return { ok: false, reason: row.usedAt ? 'USED' : 'EXPIRED' };
}
