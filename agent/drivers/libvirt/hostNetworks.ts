// The libvirt host's networks, built for real with iproute2 (see hostNetworkPlan.ts for what is
// built): setupNetworks checks, then runs the `ip` commands one by one; when one fails, it runs
// the undo of those that ran, newest first, and throws that command's own message. The layout it
// built is kept in the agent's state dir (VDSM persists its network configuration too) and is
// reported as far as the host really has it, so a restarted agent reports the truth.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_NETWORK_LAYOUT, NetworkLayout, type HostCapabilities } from '../../../protocol/messages.ts';
import { hostNics } from './hostSample.ts';
import { checkLayout, parseLinks, planNetworks, verifyLayout, type Link, type Step } from './hostNetworkPlan.ts';

export interface HostNetworkOptions {
  /** Where the built layout is kept (networks.json). */
  stateDir: string;
  /** The host NICs Vireo owns (the agent's --nics); absent: every NIC, though never one holding an IP address as a port. */
  nics?: readonly string[];
  log: (message: string) => void;
}

/** Runs `ip ARGS`; a failure carries iproute2's own message and the command. */
export function ip(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('ip is not installed (package iproute2)'));
      reject(new Error(`${stderr.trim() || err.message} (ip ${args.join(' ')})`));
    });
  });
}

export class HostNetworks {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: HostNetworkOptions) {}

  private get file(): string {
    return path.join(this.opts.stateDir, 'networks.json');
  }

  async links(): Promise<Map<string, Link>> {
    return parseLinks(await ip(['-j', '-d', 'addr', 'show']));
  }

  /** The layout this agent built last (kept across restarts). */
  async built(): Promise<NetworkLayout> {
    const text = await readFile(this.file, 'utf8').catch(() => null);
    return text ? NetworkLayout.parse(JSON.parse(text)) : EMPTY_NETWORK_LAYOUT;
  }

  private managed(): string[] {
    return this.opts.nics ? [...this.opts.nics] : hostNics().map((n) => n.name);
  }

  /** Builds the layout as a whole, or changes nothing and throws why (one at a time). */
  setup(layout: NetworkLayout): Promise<void> {
    const run = this.queue.then(() => this.apply(layout));
    this.queue = run.catch(() => {});
    return run;
  }

  private async apply(layout: NetworkLayout): Promise<void> {
    const links = await this.links();
    const previous = await this.built();
    checkLayout(layout, links, this.managed(), previous);
    const steps = planNetworks(layout, previous, links);
    await mkdir(this.opts.stateDir, { recursive: true });
    const pending = `${this.file}.new`;
    await writeFile(pending, JSON.stringify(layout));
    const done: Step[] = [];
    try {
      for (const step of steps) {
        await ip(step.run);
        done.push(step);
      }
    } catch (err) {
      await this.undo(done);
      await rm(pending, { force: true });
      throw err;
    }
    await rename(pending, this.file);
    this.opts.log(`host networks set up: ${steps.map((s) => `ip ${s.run.join(' ')}`).join('; ') || 'nothing to change'}`);
  }

  private async undo(done: Step[]): Promise<void> {
    for (const step of [...done].reverse()) {
      for (const cmd of step.undo) {
        await ip(cmd).catch((e: Error) => this.opts.log(`undo failed: ${e.message}`));
      }
    }
  }

  /** The NICs Vireo owns with their MTU, the part of the built layout the host has, and the management NIC (or its bond). */
  async report(): Promise<Pick<HostCapabilities, 'nics' | 'network'> & { connectedVia?: string }> {
    const nics = hostNics(this.opts.nics);
    let network = EMPTY_NETWORK_LAYOUT;
    try {
      network = verifyLayout(await this.built(), await this.links());
    } catch (err) {
      this.opts.log(`cannot read the host's networks: ${(err as Error).message}`);
    }
    const first = this.opts.nics?.find((n) => nics.some((x) => x.name === n));
    const connectedVia = first ? (network.bonds.find((b) => b.nics.includes(first))?.name ?? first) : undefined;
    return { nics, network, ...(connectedVia ? { connectedVia } : {}) };
  }
}
