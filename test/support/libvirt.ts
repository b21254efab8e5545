// Real libvirt for tests: the project's own libvirtd (scripts/libvirt/libvirtd.sh: its own mount
// namespace, stopped by PID) and the tiny guest built from Debian packages. Outside CI a machine
// without them skips the libvirt tests and says why; in CI (CI=true) that is a failure.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/libvirt/libvirtd.sh');

/** Why real VMs cannot run here, or null when they can. */
export function libvirtMissing(): string | null {
  if (process.getuid?.() !== 0) return 'the libvirt tests run as root (libvirtd in its own mount namespace)';
  for (const [file, pkg] of [
    ['/usr/sbin/libvirtd', 'libvirt-daemon'],
    ['/usr/bin/virsh', 'libvirt-clients'],
    ['/usr/bin/qemu-system-x86_64', 'qemu-system-x86'],
    ['/usr/bin/qemu-img', 'qemu-utils'],
  ] as const)
    if (!existsSync(file)) return `${file} is missing (package ${pkg}; bash .ci/peers.sh installs it)`;
  return null;
}

/** Skips outside CI with the reason; fails in CI. Returns whether the tests run. */
export function requireLibvirt(): { run: boolean; reason: string } {
  const missing = libvirtMissing();
  if (missing && process.env.CI === 'true') throw new Error(`CI needs real libvirt and QEMU: ${missing}`);
  return { run: !missing, reason: missing ?? '' };
}

export interface Guest {
  kernel: string;
  initrd: string;
}

/** Builds the tiny guest (cached in .cache/libvirt-guest) and returns its kernel and initrd. */
export function buildGuest(): Guest {
  const r = spawnSync('bash', [path.join(root, 'scripts/libvirt/build-guest.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-guest.sh failed: ${r.stderr}`);
  const [kernel, initrd] = r.stdout.trim().split('\n').at(-1)!.split(' ');
  return { kernel: kernel!, initrd: initrd! };
}

export interface Libvirtd {
  dir: string;
  uri: string;
  /** QEMU's PID of a running domain. */
  qemuPid(domainName: string): number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts instance `n` in `dir` (kept between runs for libvirt's QEMU capability cache). */
export async function startLibvirtd(dir: string, n = 1): Promise<Libvirtd> {
  const start = async () => {
    await run('bash', [script, 'start', dir, String(n)], { timeout: 120_000 });
  };
  await start();
  const uri = (await run('bash', [script, 'uri', dir])).stdout.trim();
  return {
    dir,
    uri,
    qemuPid: (name) => Number(readFileSync(path.join(dir, 'run/qemu', `${name}.pid`), 'utf8').trim()),
    stop: async () => {
      await run('bash', [script, 'stop', dir], { timeout: 60_000 });
    },
    start,
  };
}

/** Runs the project's RFB client (test/support/rfbClient.ts) in a Node with DES (VNC auth needs the legacy provider). */
export async function rfb(url: string, password?: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--openssl-legacy-provider', '--import', 'tsx', path.join(root, 'test/support/rfbClient.ts'), url, ...(password ? [password] : [])],
      { cwd: root, timeout: 30_000 },
    );
    return { ok: true, output: stdout.trim() };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}`.trim() || err.message };
  }
}

/**
 * Veth pairs that stand for a host's NICs (the `a` end is the NIC an agent gets with --nics):
 * names deleted first if a failed run left them, and deleted by the returned function (which also
 * deletes the bridges named, in case a test failed before the agent took them down).
 */
export async function vethNics(
  pairs: readonly (readonly [string, string])[],
  bridges: readonly string[] = [],
): Promise<() => Promise<void>> {
  const remove = async () => {
    for (const name of [...bridges, ...pairs.map(([a]) => a)]) await run('ip', ['link', 'del', name]).catch(() => {});
  };
  await remove();
  for (const [a, b] of pairs) await run('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
  return remove;
}

/** An agent process on the libvirt driver (its output shown with DEBUG_AGENT, its errors always). */
export function spawnLibvirtAgent(o: {
  engineUrl: string;
  name: string;
  token: string;
  uri: string;
  stateDir: string;
  nics: readonly string[];
  args?: readonly string[];
}): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'agent/main.ts',
      '--engine',
      o.engineUrl,
      '--name',
      o.name,
      '--token',
      o.token,
      '--driver',
      'libvirt',
      '--connect',
      o.uri,
      '--state-dir',
      o.stateDir,
      '--interval',
      '1000',
      '--nics',
      o.nics.join(','),
      ...(o.args ?? []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (b: Buffer) => {
    if (process.env.DEBUG_AGENT) process.stdout.write(b);
  });
  child.stderr!.on('data', (b: Buffer) => process.stderr.write(b));
  return child;
}

/** Runs a program in the guest through its guest agent (guest-exec) and returns its exit code and output once it ends. */
export async function guestExec(
  uri: string,
  domain: string,
  file: string,
  args: readonly string[],
): Promise<{ exitcode: number; out: string }> {
  const agent = async (command: object) =>
    JSON.parse((await run('virsh', ['-c', uri, 'qemu-agent-command', domain, JSON.stringify(command)])).stdout).return;
  const { pid } = await agent({ execute: 'guest-exec', arguments: { path: file, arg: args, 'capture-output': true } });
  for (let i = 0; i < 100; i++) {
    const status = await agent({ execute: 'guest-exec-status', arguments: { pid } });
    if (status.exited)
      return { exitcode: status.exitcode ?? -1, out: status['out-data'] ? Buffer.from(status['out-data'], 'base64').toString() : '' };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} ${args.join(' ')} did not end in the guest within 10 s`);
}
