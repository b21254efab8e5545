// A host's power management: its fence agents, tried in their order, each one a run of its
// fence-agent program. Stopping a host counts only once the device says it is off.
import type { Db } from '../db.ts';
import {
  type FenceAction,
  type FenceProgramSettings,
  type FenceRun,
  type FenceTarget,
  type PowerState,
  runFenceProgram,
} from './fenceProgram.ts';
import type { SecretBox } from './secretBox.ts';

/** A fence agent as stored (its password sealed). */
export interface FenceAgentRow {
  id: string;
  order: number;
  type: string;
  address: string;
  port: string;
  username: string;
  passwordEncrypted: string;
  options: unknown;
}

/** What one power operation did: which agent answered, and how each one tried went. */
export interface PowerOutcome {
  ok: boolean;
  power?: PowerState;
  /** The agent that did it (`type at address`), when one did. */
  agent?: string;
  /** Each agent tried and why it failed, in order (passwords masked). */
  message: string;
  /** Off or reboot: a device said the host was off at some point (its VMs are not running), even if powering it on again failed. */
  offConfirmed: boolean;
}

export type PowerOperation = 'status' | 'on' | 'off' | 'reboot';

export function describeAgent(a: { type: string; address: string; port: string }): string {
  return `fence_${a.type} at ${a.address}${a.port ? ` port ${a.port}` : ''}`;
}

export class PowerManagement {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    readonly settings: FenceProgramSettings,
  ) {}

  /** The host's fence agents in their order. */
  agentsOf(hostId: string): Promise<FenceAgentRow[]> {
    return this.db.fenceAgent.findMany({ where: { hostId }, orderBy: [{ order: 'asc' }, { createdAt: 'asc' }] });
  }

  /** Whether the host has at least one fence agent. */
  async configured(hostId: string): Promise<boolean> {
    return (await this.db.fenceAgent.count({ where: { hostId } })) > 0;
  }

  /** Runs one action through one agent. */
  run(agent: FenceAgentRow, action: FenceAction): Promise<FenceRun> {
    return runFenceProgram(this.target(agent), action, this.settings);
  }

  /** The operation through the host's agents, in order, until one does it. */
  async operate(hostId: string, op: PowerOperation, agents?: FenceAgentRow[]): Promise<PowerOutcome> {
    const list = agents ?? (await this.agentsOf(hostId));
    if (!list.length) return { ok: false, message: 'the host has no fence agent', offConfirmed: false };
    const failures: string[] = [];
    let offConfirmed = false;
    for (const agent of list) {
      const r = await this.through(agent, op);
      offConfirmed ||= !!r.offConfirmed;
      if (r.ok) return { ok: true, power: r.power, agent: describeAgent(agent), message: r.message, offConfirmed };
      failures.push(`${describeAgent(agent)}: ${r.message}`);
    }
    return { ok: false, message: failures.join('; '), offConfirmed };
  }

  /** One agent: status as asked; off confirmed by a status that says OFF; reboot as off (confirmed), then on. */
  private async through(agent: FenceAgentRow, op: PowerOperation): Promise<FenceRun & { offConfirmed?: boolean }> {
    if (op === 'status' || op === 'on') {
      const r = await this.run(agent, op);
      return op === 'on' && r.ok ? { ...r, power: 'ON' } : r;
    }
    const off = await this.run(agent, 'off');
    if (!off.ok) return off;
    const status = await this.run(agent, 'status');
    if (!status.ok) return { ok: false, message: `off was done, but the status after it failed: ${status.message}` };
    if (status.power !== 'OFF') return { ok: false, message: `off was done, but the device still says ${status.power}` };
    if (op === 'off') return { ok: true, power: 'OFF', message: off.message, offConfirmed: true };
    const on = await this.run(agent, 'on');
    return on.ok
      ? { ok: true, power: 'ON', message: on.message, offConfirmed: true }
      : { ok: false, message: `the host is off, but on failed: ${on.message}`, offConfirmed: true };
  }

  private target(agent: FenceAgentRow): FenceTarget {
    return {
      type: agent.type,
      address: agent.address,
      port: agent.port,
      username: agent.username,
      password: this.secrets.open(agent.passwordEncrypted),
      options: (agent.options ?? {}) as Record<string, string>,
    };
  }
}
