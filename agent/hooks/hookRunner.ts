// VDSM's hooks (lib/vdsm/common/hooks.py): executables in a folder per event under the hooks
// folder, run one after the other in name order. They share one file holding the domain XML,
// whose path is in `_hook_domxml`, so each sees what the ones before it wrote; the VM's custom
// properties and `vmId` are in their environment. A hook that exits non-zero is an error (its
// stderr is the message); exit 2 also skips the hooks after it. A `before_*` event fails with
// the last error after its hooks ran; an `after_*` event only logs it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The events Vireo runs hooks for, VDSM's names (and folder names). */
export const HOOK_EVENTS = [
  'before_vm_start',
  'after_vm_start',
  'before_vm_migrate_source',
  'before_vm_migrate_destination',
  'after_vm_destroy',
  'before_vm_hibernate',
  'after_vm_hibernate',
  'before_vm_dehibernate',
  'after_vm_dehibernate',
  'before_nic_hotplug',
  'after_nic_hotplug',
  'before_nic_hotunplug',
  'after_nic_hotunplug',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** A hook that failed: `before_*` actions fail with it. */
export class HookError extends Error {}

export interface InstalledHook {
  event: string;
  name: string;
  /** SHA-256 of the file, as VDSM's getVdsCapabilities reports it. */
  checksum: string;
}

export interface HookRun {
  /** The domain XML after the hooks (what they left in the file). */
  xml: string;
  /** What each hook that failed said (stderr, or its exit status when it said nothing), in order. */
  errors: string[];
}

export interface HookRunnerOptions {
  dir: string;
  /** A hook still running after this long is killed and counts as failed (default 120 s). */
  timeoutMs?: number;
  log?: (message: string) => void;
}

/** Regular files the agent may execute, in name order (VDSM sorts the paths). */
async function scripts(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.sort()) {
    const file = path.join(folder, name);
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) continue;
    if (
      await access(file, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      found.push(file);
  }
  return found;
}

export class HookRunner {
  private readonly log: (m: string) => void;

  constructor(private readonly opts: HookRunnerOptions) {
    this.log = opts.log ?? ((m) => console.log(`[hooks] ${m}`));
  }

  get dir(): string {
    return this.opts.dir;
  }

  /** Every hook installed, by event folder (any folder, as VDSM's `installed()`), each with its checksum. */
  async installed(): Promise<InstalledHook[]> {
    const events = await readdir(this.opts.dir, { withFileTypes: true }).catch(() => []);
    const hooks: InstalledHook[] = [];
    for (const e of events.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name)))
      for (const file of await scripts(path.join(this.opts.dir, e.name))) {
        const checksum = createHash('sha256')
          .update(await readFile(file).catch(() => Buffer.alloc(0)))
          .digest('hex');
        hooks.push({ event: e.name, name: path.basename(file), checksum });
      }
    return hooks;
  }

  /**
   * Runs the event's hooks over `xml` with `env` added to the agent's environment. Returns the XML
   * they left and their errors; nothing to run returns the XML as it was.
   */
  async run(event: HookEvent, xml: string, env: Record<string, string>): Promise<HookRun> {
    const hooks = await scripts(path.join(this.opts.dir, event));
    if (!hooks.length) return { xml, errors: [] };
    const work = await mkdtemp(path.join(tmpdir(), 'vireo-hook-'));
    const file = path.join(work, 'domxml');
    try {
      await writeFile(file, xml, { mode: 0o600 });
      const errors: string[] = [];
      for (const hook of hooks) {
        const r = await this.exec(hook, { ...process.env, ...env, _hook_domxml: file });
        if (r.code === 0) continue;
        const why = r.stderr.trim() || `exited with status ${r.code}`;
        this.log(`${event}/${path.basename(hook)}: exit ${r.code}: ${why}`);
        errors.push(`${event} hook ${path.basename(hook)} failed: ${why}`);
        if (r.code === 2) break; // VDSM: 2 stops the event's remaining hooks
      }
      return { xml: await readFile(file, 'utf8'), errors };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** A `before_*` event: its hooks' XML, or a HookError with the last failure (the action must not go on). */
  async before(event: HookEvent, xml: string, env: Record<string, string>): Promise<string> {
    const r = await this.run(event, xml, env);
    if (r.errors.length) throw new HookError(r.errors[r.errors.length - 1]);
    return r.xml;
  }

  /** An `after_*` event: failures are logged, never thrown (the action already happened). */
  async after(event: HookEvent, xml: string, env: Record<string, string>): Promise<void> {
    await this.run(event, xml, env).catch((err: Error) => this.log(`${event}: ${err.message}`));
  }

  private exec(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      // Its own process group, so a hung hook is killed with whatever it started.
      const child = spawn(file, [], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 64 * 1024) stderr += chunk;
      });
      const timer = setTimeout(() => {
        stderr += `\n(killed after ${Math.round((this.opts.timeoutMs ?? 120_000) / 1000)} s)`;
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, this.opts.timeoutMs ?? 120_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ code: 127, stderr: err.message });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), stderr });
      });
    });
  }
}
