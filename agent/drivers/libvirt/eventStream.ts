// libvirt's domain events as they happen: one long-lived `virsh event --all --loop`, restarted
// when it ends (libvirtd restarted or down). Lifecycle events make a killed domain Down at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseEventLine, type VirshEvent } from './virshOutput.ts';

export class EventStream {
  private child: ChildProcess | null = null;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly uri: string,
    private readonly onEvent: (event: VirshEvent) => void,
    /** The stream ended (libvirt went away); it is restarted after `retryMs`. */
    private readonly onLost: (message: string) => void,
    private readonly retryMs = 1000,
  ) {}

  start(): void {
    if (this.stopped || this.child) return;
    const child = spawn('virsh', ['-c', this.uri, 'event', '--all', '--loop', '--timestamp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseEventLine(line);
      if (event) this.onEvent(event);
    });
    child.on('error', (err) => {
      stderr += err.message;
    });
    child.on('close', () => {
      this.child = null;
      if (this.stopped) return;
      this.onLost(stderr.trim() || 'the libvirt event stream ended');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        this.start();
      }, this.retryMs);
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.child?.kill();
  }
}
