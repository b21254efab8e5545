// SetVmTicket (oVirt's console ticket): the VM's host sets a one-time console password that
// expires after a while; the caller gets it with a remote-viewer connection file.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import type { Db } from '../../db.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { consoleAddress, remoteViewerFile, type ConsoleEndpoint } from '../../console/remoteViewer.ts';
import { vmStatusIn } from './lifecycle/vmStatusChecks.ts';
import type { LiveStats } from '../../monitoring/liveStats.ts';
import { issueProxyTicket } from '../../console/proxyTickets.ts';

/** Statuses in which a domain exists on its host and so has a console. */
const WITH_CONSOLE = ['POWERING_UP', 'UP', 'PAUSED', 'REBOOT_IN_PROGRESS', 'MIGRATING_FROM', 'POWERING_DOWN', 'NOT_RESPONDING'] as const;

/** The VM with its host and console; the console as monitoring last heard it (memory first, the database's row is written in batches). */
async function vmWithConsole(db: Tx | Db, live: LiveStats, vmId: string) {
  const vm = found(
    await db.vm.findUnique({
      where: { id: vmId },
      include: {
        host: { select: { id: true, name: true, address: true } },
        statistics: {
          select: { displayType: true, displayAddress: true, displayPort: true, displayTlsPort: true, displayWebsocketPort: true },
        },
      },
    }),
    'VM',
    vmId,
  );
  return { ...vm, statistics: live.vm(vmId) ?? vm.statistics };
}

export interface ConsoleTicket extends ConsoleEndpoint {
  vmId: string;
  vmName: string;
  hostId: string;
  hostName: string;
  password: string;
  expiresAt: Date;
  remoteViewerFile: string;
  /** Where a browser opens the console through the engine (once); null without a VNC WebSocket. */
  proxyPath: string | null;
}

export const consoleTicket = defineAction({
  type: 'SetVmTicket',
  title: 'open the console of VM',
  actionGroup: 'CONNECT_TO_VM',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    vmId: nodeId('Vm', 'vm'),
    validSeconds: z.number().int().min(10).max(86_400).default(120).describe('How long the password works (default 120 s, as oVirt).'),
  }),
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx, engine }, p) {
    const vm = await vmWithConsole(tx, engine.monitoring.live, p.vmId);
    return [
      vmStatusIn(vm, WITH_CONSOLE, 'open its console'),
      refuseWhen(
        !vm.host || !vm.statistics?.displayPort || !vm.statistics.displayType,
        'VM_HAS_NO_CONSOLE',
        `VM ${vm.name} has no console reported by its host yet.`,
      ),
    ];
  },
  async onHost(ctx, p): Promise<ConsoleTicket> {
    const vm = await vmWithConsole(ctx.engine.db, ctx.engine.monitoring.live, p.vmId);
    const host = vm.host!;
    const stats = vm.statistics!;
    // VNC authentication (RFB's DES challenge) uses 8 characters; libvirt refuses longer VNC passwords.
    const password = randomBytes(stats.displayType === 'VNC' ? 6 : 18).toString('base64url');
    await ctx.hosts.setTicket(host, vm.id, password, p.validSeconds);
    const endpoint: ConsoleEndpoint = {
      protocol: stats.displayType!,
      address: consoleAddress(stats.displayAddress, host.address),
      port: stats.displayPort!,
      tlsPort: stats.displayTlsPort,
      websocketPort: stats.displayWebsocketPort,
    };
    return {
      ...endpoint,
      vmId: vm.id,
      vmName: vm.name,
      hostId: host.id,
      hostName: host.name,
      password,
      expiresAt: new Date(Date.now() + p.validSeconds * 1000),
      remoteViewerFile: remoteViewerFile({ ...endpoint, vmName: vm.name, password }),
      proxyPath: null,
    };
  },
  // The password lives on the host only; a browser console gets a one-time pass to the engine's proxy.
  execute: async (ctx, p, _marked, ticket) => {
    if (ticket.protocol !== 'VNC' || !ticket.websocketPort) return ticket;
    const proxyPath = await issueProxyTicket(ctx.tx, {
      vmId: ticket.vmId,
      hostId: ticket.hostId,
      userName: ctx.actor.userName,
      validSeconds: p.validSeconds,
      now: ctx.engine.now(),
    });
    return { ...ticket, proxyPath };
  },
  audit: (t) => ({
    code: 'VM_SET_TICKET',
    vars: { vmName: t.vmName, hostName: t.hostName, protocol: t.protocol },
    objects: { vmId: t.vmId, hostId: t.hostId },
  }),
  api: {
    mutation: 'consoleTicket',
    description:
      "Set a one-time password on the running VM's console and get it with a remote-viewer file and, for VNC with a WebSocket, a one-time path to the engine's console proxy.",
    payload: { field: 'ticket', type: 'ConsoleTicket' },
  },
});
