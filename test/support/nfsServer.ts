// A real NFS server of a test's own: nfs-ganesha (Debian's, VFS backend) exporting a folder over
// NFSv3 on loopback, on free ports. Ganesha must register with rpcbind, which listens on every
// address; so rpcbind runs in a network namespace of its own, where nothing can reach its ports,
// and ganesha registers through its socket file. Clients name the ports in their mount options
// (`port=`, `mountport=`), so nothing asks rpcbind. Several test files may each run a server: the
// rpcbind one started serves them all (registrations of the same program coexist), and ganesha
// starting again finds one or starts its own. Everything started is stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.ts';
import { until } from './until.ts';

const RPCBIND_SOCKET = '/run/rpcbind.sock';

export interface NfsServer {
  /** The export's address as a domain's path: `127.0.0.1:<folder>`. */
  address: string;
  /** The mount options that reach it: its NFS and MOUNT ports. */
  mountOptions: string;
  /** Stops serving (the export's clients see a dead server). */
  stop(): Promise<void>;
  /** Serves again on the same ports. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function answers(connect: () => net.Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** rpcbind, unless one answers already; returns the one started (to stop), or null. */
async function startRpcbind(): Promise<ChildProcess | null> {
  if (await answers(() => net.connect(RPCBIND_SOCKET))) return null;
  rmSync(RPCBIND_SOCKET, { force: true });
  rmSync('/run/rpcbind.lock', { force: true });
  const child = spawn('unshare', ['--net', 'rpcbind', '-f', '-w'], { stdio: 'ignore' });
  await until('rpcbind to answer', () => answers(() => net.connect(RPCBIND_SOCKET)), 10_000);
  return child;
}

export async function startNfsServer(exportDir: string): Promise<NfsServer> {
  const rpcbinds: ChildProcess[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vireo-ganesha-'));
  const [nfsPort, mountPort] = [await freePort(), await freePort()];
  const config = path.join(dir, 'ganesha.conf');
  writeFileSync(
    config,
    `NFS_CORE_PARAM { Bind_addr = 127.0.0.1; NFS_Port = ${nfsPort}; MNT_Port = ${mountPort}; Protocols = 3;
  Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false; }
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = ${dir}/recovery; }
EXPORT { Export_Id = 1; Path = ${exportDir}; Pseudo = ${exportDir}; Access_Type = RW; Squash = No_Root_Squash;
  SecType = sys; Protocols = 3; Transports = TCP; FSAL { Name = VFS; } }
`,
  );
  const log = path.join(dir, 'ganesha.log');
  let ganesha: ChildProcess | null = null;
  const start = async () => {
    const rpcbind = await startRpcbind();
    if (rpcbind) rpcbinds.push(rpcbind);
    const child = spawn('ganesha.nfsd', ['-F', '-f', config, '-L', log, '-p', path.join(dir, 'ganesha.pid'), '-N', 'NIV_EVENT'], {
      stdio: 'ignore',
    });
    ganesha = child;
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    await until(
      'ganesha to serve',
      async () => {
        if (exited) throw new Error(`ganesha.nfsd exited: ${readFileSync(log, 'utf8').slice(-2000)}`);
        return answers(() => net.connect(nfsPort, '127.0.0.1'));
      },
      20_000,
    );
  };
  const stop = async () => {
    if (ganesha) await stopChild(ganesha);
    ganesha = null;
  };
  await start();
  return {
    address: `127.0.0.1:${exportDir}`,
    mountOptions: `port=${nfsPort},mountport=${mountPort}`,
    start,
    stop,
    async close() {
      await stop();
      for (const rpcbind of rpcbinds) await stopChild(rpcbind);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
