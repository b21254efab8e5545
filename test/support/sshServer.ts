// An sshd of the test's own on 127.0.0.1 (a free port, host and client keys generated in a temp
// folder, root may log in with the client key only), for programs that work over ssh, such as
// Debian's fence_virsh. Stopped by its PID; the folder is removed with it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.ts';

export const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  port: number;
  /** The client's private key (for `-i`). */
  identityFile: string;
  /** A known_hosts file that holds the server's host key, for StrictHostKeyChecking=yes. */
  knownHosts: string;
  /** The private key's text, to check it shows nowhere. */
  privateKey: string;
  stop(): Promise<void>;
}

function keygen(file: string) {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vireo-test', '-f', file]);
}

/** Waits until the port accepts connections, or the process exits. */
async function listening(port: number, child: ChildProcess, log: () => string) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

/** @param env variables sshd sets in each session (SetEnv), such as LIBVIRT_DEFAULT_URI */
export async function startSshServer(env: Record<string, string> = {}): Promise<SshServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vireo-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const identityFile = path.join(dir, 'id_ed25519');
  keygen(hostKey);
  keygen(identityFile);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`), { mode: 0o600 });
  const port = await freePort();
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      // The keys live under /tmp, which is world-writable: sshd's ownership checks would refuse them.
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PrintMotd no',
      ...Object.entries(env).map(([k, v]) => `SetEnv ${k}="${v}"`),
      '',
    ].join('\n'),
  );
  // Debian's sshd needs its privilege separation folder.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  let log = '';
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  await listening(port, child, () => log);
  return {
    port,
    identityFile,
    knownHosts,
    privateKey: readFileSync(identityFile, 'utf8'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
