// libvirt through `virsh`, one short process per call: no native addon to build, and libvirt's
// own error words come back as they are (npm's libvirt bindings are native addons).
import { execFile } from 'node:child_process';
import { virshError } from './virshOutput.ts';

/** An error libvirt reported, in its words. */
export class LibvirtError extends Error {}

export class Virsh {
  constructor(
    readonly uri: string,
    private readonly timeoutMs = 60_000,
  ) {}

  run(args: string[], opts: { timeoutMs?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'virsh',
        ['-c', this.uri, ...args],
        { timeout: opts.timeoutMs ?? this.timeoutMs, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const e = err as NodeJS.ErrnoException & { killed?: boolean };
          if (e.code === 'ENOENT') return reject(new LibvirtError('virsh is not installed (package libvirt-clients)'));
          if (e.killed)
            return reject(
              new LibvirtError(`virsh ${args[0]} did not answer within ${Math.round((opts.timeoutMs ?? this.timeoutMs) / 1000)} s`),
            );
          reject(new LibvirtError(virshError(stderr) || e.message));
        },
      );
    });
  }
}
