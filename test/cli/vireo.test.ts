// The `vireo` command as a user runs it: a process against a real engine with the demo inventory,
// its output and its exit status (0 done, 1 failed, 2 bad usage, 3 refused, 4 not logged in).
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loginAdmin,
  PROCESS_ADMIN_PASSWORD,
  startEngineProcess,
  waitForDemoStarted,
  type EngineProcess,
} from '../support/engineProcess.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let engine: EngineProcess;
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-cli-'));
  engine = await startEngineProcess({ VIREO_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', VIREO_DEMO: '1' }, 240_000);
  // The demo starts its VMs through runVm after its hosts come up: the listings below need them Up.
  await waitForDemoStarted(engine.url, await loginAdmin(engine.url));
}, 540_000);
afterAll(async () => {
  await engine?.kill();
  await fs.rm(dir, { recursive: true, force: true });
});

/** The environment of a `vireo` process: this test's config file, no VIREO_URL/VIREO_TOKEN unless given. */
const env = (extra: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries({ ...process.env, VIREO_CONFIG: path.join(dir, 'config.json'), VIREO_URL: '', VIREO_TOKEN: '', ...extra }).filter(
      ([, v]) => v !== '',
    ),
  );

/** Runs `vireo …` (the package's bin) and returns its exit status and output. */
function vireo(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'cli/bin/vireo.js'), ...args],
      { cwd: ROOT, env: env(extra), timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('vireo', { timeout: 300_000 }, () => {
  it('logs in and keeps an API token in a private profile', async () => {
    const r = await vireo(['login', '--url', engine.url, '--user', 'admin'], { VIREO_PASSWORD: PROCESS_ADMIN_PASSWORD });
    expect(r.stderr).toContain(`Logged in to ${engine.url} as admin@internal (profile default).`);
    expect(r.code).toBe(0);
    const config = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(config.profiles.default.token).toMatch(/^vireo_api_/);
    expect((await fs.stat(path.join(dir, 'config.json'))).mode & 0o777).toBe(0o600);
    const wrong = await vireo(['login', '--url', engine.url, '--user', 'admin', '--profile', 'other'], {
      VIREO_PASSWORD: 'wrong-password',
    });
    expect(wrong).toMatchObject({ code: 4, stderr: expect.stringContaining('INVALID_CREDENTIALS') });
  });

  it('lists VMs filtered by status, cluster name and name, as a table and as JSON', async () => {
    const r = await vireo(['vm', 'list', '--status', 'up', '--cluster', 'Production', '--name', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ name +│ status +│ cluster/);
    expect(r.stdout).toMatch(/│ web01 +│ UP +│ Production/);
    expect(r.stdout).not.toContain('db01');
    expect(r.stdout).not.toContain('DOWN');
    const json = JSON.parse((await vireo(['vms', 'list', '--cluster', 'Development', '--json'])).stdout);
    expect(json.length).toBe(8);
    expect(new Set(json.map((v: any) => v.cluster.name))).toEqual(new Set(['Development']));
  });

  it('shows one object by name', async () => {
    const r = await vireo(['vm', 'show', 'web01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ name +│ web01/);
    expect(r.stdout).toMatch(/│ cluster +│ Production/);
    expect((await vireo(['vm', 'show', 'no-such-vm'])).code).toBe(2);
  });

  it("tells a refused action (3) from bad usage (2), with the typed error's code and reasons", async () => {
    const refused = await vireo(['vm', 'remove', 'web01']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('ValidationError VM_IS_RUNNING: Cannot remove VM: VM web01 is UP');
    const dry = await vireo(['can', 'vm', 'remove', 'web01']);
    expect(dry).toMatchObject({ code: 3, stdout: 'VM_IS_RUNNING: VM web01 is UP; it must be Down.\n' });
    const allowed = await vireo(['can', 'vm', 'run', 'web01', '--json']);
    expect(JSON.parse(allowed.stdout).allowed).toBe(false);
    expect((await vireo(['vm', 'frobnicate', 'web01'])).code).toBe(2);
    const unknown = await vireo(['vm', 'run', 'no-such-vm']);
    expect(unknown).toMatchObject({ code: 2, stderr: 'No Vm is named "no-such-vm".\n' });
    expect((await vireo(['vm', 'list', '--status', 'sideways'])).stderr).toContain('"sideways" is not one of');
  });

  it('--wait follows a job to its end: run, then migrate to a named host', async () => {
    expect((await vireo(['vm', 'add', '--name', 'cli-vm', '--cluster', 'Production', '--memory-mb', '512'])).code).toBe(0);
    const run = await vireo(['vm', 'run', 'cli-vm', '--wait']);
    expect(run.stdout).toContain('job Starting VM cli-vm: FINISHED');
    expect(run.stderr).toContain('100% | FINISHED');
    expect(run.code).toBe(0);
    const host = JSON.parse((await vireo(['vm', 'show', 'cli-vm', '--json'])).stdout).host.name as string;
    const to = host === 'host02' ? 'host03' : 'host02';
    const migrate = await vireo(['vm', 'migrate', 'cli-vm', '--to', to, '--wait']);
    expect(migrate.stdout, migrate.stderr).toContain(`job Migrating VM cli-vm from host ${host}: FINISHED`);
    expect(migrate.code).toBe(0);
    expect(JSON.parse((await vireo(['vm', 'show', 'cli-vm', '--json'])).stdout).host.name).toBe(to);
  });

  it('lists hosts and puts one into maintenance with --wait', async () => {
    const list = await vireo(['host', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('host03');
    const maintenance = await vireo(['host', 'maintenance', 'host03', '--wait']);
    expect(maintenance.stdout, maintenance.stderr).toContain('job Moving host host03 to maintenance: FINISHED');
    expect(maintenance.code).toBe(0);
    expect(JSON.parse((await vireo(['host', 'show', 'host03', '--json'])).stdout).status).toBe('MAINTENANCE');
  });

  it('imports an OVA with a network mapping', async () => {
    const profile = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')).profiles.default;
    const id = JSON.parse((await vireo(['vm', 'show', 'web03', '--json'])).stdout).id;
    const ova = await fetch(new URL(`/ova/vm/${id}`, engine.url), { headers: { authorization: `Bearer ${profile.token}` } });
    expect(ova.status).toBe(200);
    await fs.writeFile(path.join(dir, 'web03.ova'), Buffer.from(await ova.arrayBuffer()));
    const r = await vireo([
      'vm',
      'import',
      '--ova',
      path.join(dir, 'web03.ova'),
      '--cluster',
      'Development',
      '--storage-domain',
      'data-nfs',
      '--map',
      'vm-public=vm-public',
      '--name',
      'imported01',
      '--clone',
    ]);
    expect(r.stdout).toMatch(/^vm: .*name=imported01 +status=DOWN +cluster=Development/m);
    expect(r.code).toBe(0);
  });

  it('watches events as they come', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'cli/bin/vireo.js'), 'events', 'watch', '--severity', 'warning', '--json'], {
      cwd: ROOT,
      env: env(),
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    try {
      for (let i = 0; i < 100 && !out.includes('could not remove VM'); i++) {
        if (i % 20 === 0) await vireo(['vm', 'remove', 'web02']);
        await new Promise((r) => setTimeout(r, 500));
      }
      const event = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((e) => e.code === 'USER_ACTION_REFUSED');
      expect(event).toMatchObject({ severity: 'WARNING', message: 'admin@internal could not remove VM: VM web02 is UP; it must be Down.' });
    } finally {
      child.kill();
    }
  });

  it('completes commands and object names', async () => {
    const names = (await vireo(['--get-yargs-completions', 'vireo', 'vm', 'run', 'web'])).stdout.split('\n');
    expect(names).toEqual(expect.arrayContaining(['web01', 'web02', 'web03', 'web04']));
    expect(names).not.toContain('db01');
    expect((await vireo(['--get-yargs-completions', 'vireo', 'host', ''])).stdout.split('\n')).toEqual(
      expect.arrayContaining(['maintenance', 'activate', 'list']),
    );
    expect((await vireo(['completion'], { SHELL: '/bin/zsh' })).stdout).toContain('#compdef vireo');
    expect((await vireo(['completion'], { SHELL: '/bin/bash' })).stdout).toContain(
      'complete -o bashdefault -o default -F _vireo_yargs_completions vireo',
    );
  });

  it("help comes from the schema's descriptions, with examples", async () => {
    const r = await vireo(['vm', 'migrate', '--help']);
    expect(r.stdout).toContain('Live-migrate a running VM to another host of its cluster');
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--host, --to, --on Destination host in the same cluster; default: the scheduler chooses; name or id of a Host');
    expect(r.stdout).toContain('vireo vm migrate <vm>');
  });

  it('logs out: the token is revoked and commands say so (4)', async () => {
    const token = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')).profiles.default.token;
    expect((await vireo(['logout'])).code).toBe(0);
    const after = await vireo(['me'], { VIREO_URL: engine.url, VIREO_TOKEN: token });
    expect(after).toMatchObject({ code: 4, stderr: expect.stringContaining('UNAUTHENTICATED') });
    expect((await vireo(['me'])).code).toBe(4);
  });
});
