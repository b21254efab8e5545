// A hypervisor in memory: domains take seconds to boot and shut down, load drifts over time,
// the guest agent answers once the guest is up, and faults can be injected on request. Each
// domain's disks run from the image files of its spec; a block copy mirrors for `copyMs` (so a test
// can kill the engine meanwhile), then the disk runs from the copy (what diskSources answers).
import type {
  CdromMedium,
  DomainReport,
  DomainSpec,
  DomainState,
  ExitReason,
  HostCapabilities,
  HostHardware,
  NetworkLayout,
  NicSpec,
} from '../../protocol/messages.ts';
import type { DomainEvent, DriverStats, HypervisorDriver } from '../driver.ts';
import { guestInfo } from './guest.ts';
import { seededRandom, Walk } from './load.ts';
import { simulatedDiskContent } from './simulatedDisk.ts';
import { copyFile } from 'node:fs/promises';
import { commitImage } from '../storage/qemuImg.ts';
import { domainXml } from './libvirt/domainXml.ts';
import { SimulatedNetwork } from './simulatedNetwork.ts';

export interface SimulatedOptions {
  hostName: string;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
  seed?: number;
  sockets?: number;
  coresPerSocket?: number;
  threadsPerCore?: number;
  memoryMb?: number;
  bootMs?: number;
  shutdownMs?: number;
  migrateMs?: number;
  /** How long saving the memory to disk (suspend) and restoring it take. */
  saveMs?: number;
  restoreMs?: number;
  /** How long a live disk move's block copy mirrors before it pivots (default 0). */
  copyMs?: number;
  /**
   * Hypervisors that can reach each other, by host name. With one, a migration needs the
   * destination to stay reachable and to hold the incoming domain, and the destination's domain
   * comes Up when the source hands it over; without one each side finishes on its own timer.
   */
  fabric?: Map<string, SimulatedHypervisor>;
  /** Domains already running when the agent starts (as after an agent restart). */
  running?: DomainSpec[];
  /**
   * The NICs the agent may change (the libvirt agent's --nics): a layout using another is refused
   * with the libvirt driver's words. Absent: all of them.
   */
  managedNics?: string[];
}

/** Faults a test or an operator can inject. */
export type Fault =
  | { kind: 'failNextStart'; message?: string }
  | { kind: 'crash'; vmId: string }
  | { kind: 'hang'; vmId: string }
  | { kind: 'statsError'; times: number }
  /** The next command never completes (an agent that stops answering). */
  | { kind: 'hangNextCommand' }
  /** The guest ignores ACPI shutdown requests (a hung or stubborn guest OS). */
  | { kind: 'ignoreShutdown'; vmId: string }
  /** Reading statistics hangs (VDSM stuck on its hypervisor) until the agent restarts: the host stops reporting while its VMs run. */
  | { kind: 'hangStats' }
  /** The guest's CPU use holds at `percent` (a busy workload) until null lets it drift again; it follows the VM when it migrates. */
  | { kind: 'cpuLoad'; vmId: string; percent: number | null };

interface Domain {
  spec: DomainSpec;
  state: DomainState;
  since: number;
  bootedAt: number | null;
  exit?: { reason: ExitReason; message: string };
  cpu: Walk;
  mem: Walk;
  net: Walk;
  disk: Walk;
  lastStep: number;
  migration?: { destination: string; startedAt: number };
  migrationError?: string;
  /** The console's ports, taken from FIRST_DISPLAY_PORT up while the domain is defined. */
  display: { port: number; tlsPort: number | null };
  ticket?: { password: string; expiresAt: number };
  /** The memory the guest has now: its balloon (MOM inflates it to give memory back to the host). */
  balloonMb: number;
}

/** QEMU's first VNC/SPICE port (display :0). */
const FIRST_DISPLAY_PORT = 5900;

export class SimulatedHypervisor implements HypervisorDriver {
  private readonly domains = new Map<string, Domain>();
  private readonly listeners = new Set<(e: DomainEvent) => void>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly hostCpu = new Walk(4, 1.5, 0.5, 25);
  private readonly hostNet = new Walk(2e5, 1e5, 0, 5e7);
  private lastHostStep: number;
  private failNextStart: string | null = null;
  private statsErrors = 0;
  private hangNext = false;
  private statsHung = false;
  private readonly hungStats: ((err: Error) => void)[] = [];
  private readonly ignoringShutdown = new Set<string>();
  /** Block copies mirroring now: `<vm id> <source image>`. */
  private readonly copying = new Set<string>();
  /** Guests whose CPU use a test or operator pinned (fault 'cpuLoad'). */
  private readonly cpuLoads = new Map<string, number>();
  private readonly fabric: Map<string, SimulatedHypervisor> | null;
  private readonly network: SimulatedNetwork;
  private readonly opts: Required<Omit<SimulatedOptions, 'now' | 'running' | 'fabric' | 'managedNics'>>;

  constructor(options: SimulatedOptions) {
    this.now = options.now ?? Date.now;
    this.opts = {
      seed: 1,
      sockets: 2,
      coresPerSocket: 8,
      threadsPerCore: 2,
      memoryMb: 256 * 1024,
      bootMs: 4000,
      shutdownMs: 3000,
      migrateMs: 5000,
      saveMs: 1000,
      restoreMs: 1000,
      copyMs: 0,
      ...options,
    };
    this.fabric = options.fabric ?? null;
    this.fabric?.set(options.hostName, this);
    this.random = seededRandom(this.opts.seed);
    this.network = new SimulatedNetwork(
      [0, 1, 2, 3].map((i) => ({ name: `eno${i + 1}`, macAddress: mac(options.hostName, i), speedMbps: 25000 })),
      options.managedNics,
    );
    this.lastHostStep = this.now();
    for (const spec of options.running ?? []) {
      const d = this.define(spec, 'UP');
      d.bootedAt = this.now() - 3600_000;
    }
  }

  inject(fault: Fault): void {
    if (fault.kind === 'failNextStart') this.failNextStart = fault.message ?? 'qemu-kvm: failed to allocate memory';
    else if (fault.kind === 'statsError') this.statsErrors += fault.times;
    else if (fault.kind === 'hangNextCommand') this.hangNext = true;
    else if (fault.kind === 'hangStats') this.statsHung = true;
    else if (fault.kind === 'ignoreShutdown') this.ignoringShutdown.add(fault.vmId);
    else if (fault.kind === 'cpuLoad') this.setCpuLoad(fault.vmId, fault.percent);
    else if (fault.kind === 'crash') this.exit(this.get(fault.vmId), 'CRASHED', 'the guest crashed (simulated fault)');
    else this.transition(this.get(fault.vmId), 'NOT_RESPONDING');
  }

  /** Pins (or frees, with null) a guest's CPU use, here and on every hypervisor of the fabric it may migrate to. */
  private setCpuLoad(vmId: string, percent: number | null) {
    for (const hv of this.fabric?.values() ?? [this]) {
      if (percent === null) hv.cpuLoads.delete(vmId);
      else hv.cpuLoads.set(vmId, percent);
    }
  }

  async capabilities(): Promise<HostCapabilities> {
    const { sockets, coresPerSocket, threadsPerCore, memoryMb } = this.opts;
    return {
      cpu: { model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', sockets, coresPerSocket, threadsPerCore },
      memoryMb,
      osVersion: 'CentOS Stream 9 (simulated)',
      hardware: this.hardware(),
      nics: this.network.nics(),
      network: this.network.current(),
      connectedVia: this.network.connectedVia(),
      storage: [
        {
          path: '/rhev/data-center/mnt/nfs01.example.org:_exports_data',
          kind: 'nfs',
          capacityBytes: 4 * 2 ** 40,
          usedBytes: 1.2 * 2 ** 40,
        },
        { path: '/dev/mapper/36001405fast', kind: 'iscsi', capacityBytes: 2 * 2 ** 40, usedBytes: 0.4 * 2 ** 40 },
      ],
    };
  }

  /** A plausible server: one NUMA node per socket, each with its cores' threads and a share of the memory. */
  private hardware(): HostHardware {
    const { sockets, coresPerSocket, threadsPerCore, memoryMb } = this.opts;
    const perNode = coresPerSocket * threadsPerCore;
    return {
      vendor: 'Dell Inc.',
      product: 'PowerEdge R650',
      serial: mac(this.opts.hostName, 0).replace(/:/g, '').slice(-7).toUpperCase(),
      kernel: '5.14.0-362.el9.x86_64',
      libvirtVersion: '9.5.0',
      qemuVersion: '8.0.0',
      numa: Array.from({ length: sockets }, (_, node) => ({
        node,
        cpus: Array.from({ length: perNode }, (_, i) => node * perNode + i),
        memoryMb: Math.floor(memoryMb / sockets),
      })),
    };
  }

  async listDomains() {
    this.advance();
    return [...this.domains.values()].map((d) => ({ id: d.spec.id, name: d.spec.name, state: d.state }));
  }

  /**
   * The libvirt XML the libvirt driver would start this definition from, so hooks get a real one;
   * what a hook rewrites in it changes nothing here (there is no QEMU to read it).
   */
  describe(spec: DomainSpec): string {
    return domainXml(spec, { virtType: 'qemu', displayPassword: 'expired' });
  }

  async currentDescription(vmId: string): Promise<string> {
    return this.describe(this.get(vmId).spec);
  }

  /** The guest's memory becomes `memoryMb` (at most its defined memory); the host's used memory follows. */
  async setBalloon(vmId: string, memoryMb: number) {
    await this.command();
    const d = this.get(vmId);
    d.balloonMb = Math.max(1, Math.min(d.spec.memoryMb, Math.round(memoryMb)));
  }

  /** Whether KSM runs (MOM switches it); the simulated host only keeps the switch. */
  ksmRunning = false;

  async setKsm(running: boolean): Promise<boolean> {
    await this.command();
    this.ksmRunning = running;
    return true;
  }

  async start(
    spec: DomainSpec,
    opts: { incomingMigration?: boolean; restoreState?: boolean; domainXml?: string } = {},
  ): Promise<undefined> {
    await this.command();
    const existing = this.domains.get(spec.id);
    if (existing && existing.state !== 'DOWN') throw new Error(`domain ${spec.name} is already running`);
    const freeMb = this.opts.memoryMb - this.committedMb();
    if (spec.memoryMb > freeMb) throw new Error(`not enough memory for ${spec.name}: ${spec.memoryMb} MiB wanted, ${freeMb} MiB free`);
    if (this.failNextStart) {
      const message = this.failNextStart;
      this.failNextStart = null;
      throw new Error(message);
    }
    this.define(spec, opts.incomingMigration ? 'MIGRATING_TO' : opts.restoreState ? 'RESTORING_STATE' : 'WAIT_FOR_LAUNCH');
  }

  async destroy(vmId: string) {
    await this.command();
    this.exit(this.get(vmId), 'DESTROYED', 'the VM was powered off by the engine');
  }

  async kill(vmId: string, message: string) {
    this.exit(this.get(vmId), 'CRASHED', message);
  }

  async shutdown(vmId: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state === 'POWERING_DOWN') return;
    if (d.state !== 'UP') throw new Error(`cannot shut down ${d.spec.name} while ${d.state}`);
    if (this.ignoringShutdown.has(vmId)) return; // the request is delivered; the guest does nothing
    this.transition(d, 'POWERING_DOWN');
  }

  async pause(vmId: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP') throw new Error(`cannot pause ${d.spec.name} while ${d.state}`);
    this.transition(d, 'PAUSED');
  }

  async resume(vmId: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'PAUSED') throw new Error(`${d.spec.name} is not paused`);
    this.transition(d, 'UP');
  }

  async migrate(vmId: string, destination: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP') throw new Error(`cannot migrate ${d.spec.name} to ${destination} while ${d.state}`);
    if (this.fabric && !this.fabric.get(destination)?.hasIncoming(vmId))
      throw new Error(`destination ${destination} does not wait for ${d.spec.name}`);
    d.migration = { destination, startedAt: this.now() };
    d.migrationError = undefined;
    this.transition(d, 'MIGRATING_FROM');
  }

  async cancelMigration(vmId: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'MIGRATING_FROM') throw new Error(`${d.spec.name} is not migrating`);
    this.failMigration(d, 'the migration was canceled');
  }

  async reboot(vmId: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP') throw new Error(`cannot reboot ${d.spec.name} while ${d.state}`);
    d.bootedAt = null;
    this.transition(d, 'REBOOT_IN_PROGRESS');
  }

  async hibernate(vmId: string) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP' && d.state !== 'PAUSED') throw new Error(`cannot suspend ${d.spec.name} while ${d.state}`);
    this.transition(d, 'SAVING_STATE');
  }

  /** An incoming migration of this VM is waiting here (fabric peers ask). */
  hasIncoming(vmId: string): boolean {
    return this.domains.get(vmId)?.state === 'MIGRATING_TO';
  }

  /** The source handed the VM over: it runs here now, with the guest's uptime. */
  completeIncoming(vmId: string, bootedAt: number | null, at: number) {
    const d = this.domains.get(vmId);
    if (d?.state !== 'MIGRATING_TO') return;
    d.bootedAt = bootedAt ?? at;
    this.transition(d, 'UP', undefined, at);
  }

  /** The source gave up: the waiting domain goes away. */
  dropIncoming(vmId: string) {
    const d = this.domains.get(vmId);
    if (d?.state === 'MIGRATING_TO') this.exit(d, 'DESTROYED', 'the incoming migration was aborted');
  }

  private failMigration(d: Domain, why: string) {
    const destination = d.migration?.destination;
    d.migration = undefined;
    d.migrationError = why;
    this.transition(d, 'UP');
    if (destination) this.fabric?.get(destination)?.dropIncoming(d.spec.id);
  }

  /** Every command first catches up with time; a 'hangNextCommand' fault makes it never return. */
  private async command() {
    if (this.hangNext) {
      this.hangNext = false;
      await new Promise(() => {});
    }
    this.advance();
  }

  async setupNetworks(layout: NetworkLayout) {
    await this.command();
    this.network.apply(layout);
  }

  async snapshot(vmId: string, _description: string, files: { disks: { source: string; overlay: string }[]; memory: string | null }) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP' && d.state !== 'PAUSED') throw new Error(`cannot snapshot ${d.spec.name} while ${d.state}`);
    for (const f of files.disks) this.runFrom(d, f.source, f.overlay);
  }

  /** The simulated hypervisor commits as QEMU would: top's data into its backing file, when the images are files. */
  async blockCommit(vmId: string, merge: { top: string; base: string; active: boolean }) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP' && d.state !== 'PAUSED') throw new Error(`cannot merge the disks of ${d.spec.name} while ${d.state}`);
    await commitImage(merge.top);
    if (merge.active) this.runFrom(d, merge.top, merge.base);
  }

  /**
   * The simulated hypervisor mirrors as QEMU would, when the images are files: the running layer's
   * data lands in dest (its header's backing name, relative, finds the copied chain beside it), after
   * `copyMs` of mirroring; then the disk runs from dest (the pivot).
   */
  async blockCopy(vmId: string, copy: { source: string; dest: string; format: 'qcow2' | 'raw'; shallow: boolean }) {
    await this.command();
    const d = this.get(vmId);
    if (d.state !== 'UP') throw new Error(`cannot copy the disks of ${d.spec.name} while ${d.state}`);
    const job = `${vmId} ${copy.source}`;
    this.copying.add(job);
    try {
      if (this.opts.copyMs > 0) await new Promise((r) => setTimeout(r, this.opts.copyMs));
      const mirrored = this.get(vmId);
      if (mirrored.state !== 'UP') throw new Error(`the block copy of ${d.spec.name} was aborted: it is ${mirrored.state}`);
      await copyFile(copy.source, copy.dest);
      this.runFrom(mirrored, copy.source, copy.dest);
    } finally {
      this.copying.delete(job);
    }
  }

  /** The domain's disk running from image `from` runs from `to` from now on. */
  private runFrom(d: Domain, from: string, to: string) {
    d.spec = { ...d.spec, disks: d.spec.disks?.map((disk) => (disk.path === from ? { ...disk, path: to } : disk)) };
  }

  /** Each disk of the running domain (its id as the device) and the image file it runs from. */
  async diskSources(vmId: string) {
    await this.command();
    return (this.get(vmId).spec.disks ?? []).flatMap((disk) =>
      disk.path ? [{ target: disk.id, source: disk.path, copying: this.copying.has(`${vmId} ${disk.path}`) }] : [],
    );
  }

  /** The domain's definition records the NIC (its XML shows it), as libvirt's live definition does. */
  async hotplugNic(vmId: string, nic: NicSpec) {
    await this.command();
    const d = this.pluggable(vmId);
    if (d.spec.nics?.some((n) => sameMac(n.mac, nic.mac)))
      throw new Error(`a NIC with MAC ${nic.mac} is already plugged into ${d.spec.name}`);
    d.spec = { ...d.spec, nics: [...(d.spec.nics ?? []), nic] };
  }

  async hotunplugNic(vmId: string, mac: string) {
    await this.command();
    const d = this.pluggable(vmId);
    this.nicOf(d, mac);
    d.spec = { ...d.spec, nics: d.spec.nics!.filter((n) => !sameMac(n.mac, mac)) };
  }

  async updateNic(vmId: string, nic: NicSpec) {
    await this.command();
    const d = this.pluggable(vmId);
    const before = this.nicOf(d, nic.mac);
    if (before.model !== nic.model) throw new Error(`cannot change the model of NIC ${nic.mac} of ${d.spec.name} while it runs`);
    d.spec = { ...d.spec, nics: d.spec.nics!.map((n) => (sameMac(n.mac, nic.mac) ? { ...n, bridge: nic.bridge, linked: nic.linked } : n)) };
  }

  /** A domain that takes device changes now: defined here and not migrating (VDSM refuses hot-plug during a migration). */
  private pluggable(vmId: string): Domain {
    const d = this.get(vmId);
    if (d.state === 'MIGRATING_FROM' || d.state === 'MIGRATING_TO') throw new Error(`${d.spec.name} is migrating`);
    return d;
  }

  private nicOf(d: Domain, mac: string): NicSpec {
    const nic = d.spec.nics?.find((n) => sameMac(n.mac, mac));
    if (!nic) throw new Error(`${d.spec.name} has no NIC with MAC ${mac}`);
    return nic;
  }

  /** The medium goes into the domain's drive: what its description shows from then on. */
  async changeCd(vmId: string, medium: CdromMedium | null) {
    await this.command();
    const d = this.get(vmId);
    if (d.state === 'DOWN') throw new Error(`${d.spec.name} is not running`);
    if (!d.spec.cdrom) throw new Error(`${d.spec.name} has no CD-ROM drive`);
    d.spec = { ...d.spec, cdrom: { ...d.spec.cdrom, medium } };
  }

  /** A new disk looks as if an installer had run on it (simulatedDisk.ts). */
  readonly newDiskContent = simulatedDiskContent;

  async setTicket(vmId: string, password: string, validSeconds: number) {
    await this.command();
    this.get(vmId).ticket = { password, expiresAt: this.now() + validSeconds * 1000 };
  }

  /** What the console server does when a client connects: is this the domain's current password? */
  checkTicket(vmId: string, password: string): boolean {
    const t = this.domains.get(vmId)?.ticket;
    return !!t && t.password === password && this.now() < t.expiresAt;
  }

  /** The agent restarted: what hung is abandoned (its calls fail), the VMs keep running. */
  restart() {
    this.statsHung = false;
    for (const fail of this.hungStats.splice(0)) fail(new Error('the agent restarted'));
  }

  async stats(): Promise<DriverStats> {
    if (this.statsHung) await new Promise<never>((_resolve, reject) => this.hungStats.push(reject));
    this.advance();
    if (this.statsErrors > 0) {
      this.statsErrors--;
      throw new Error('libvirt: cannot read statistics (simulated fault)');
    }
    const now = this.now();
    const domains = [...this.domains.values()].map((d) => this.sample(d, now));
    for (const d of [...this.domains.values()]) if (d.state === 'DOWN') this.domains.delete(d.spec.id);
    return { host: this.hostSample(now, domains), domains };
  }

  onEvent(listener: (e: DomainEvent) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private define(spec: DomainSpec, state: DomainState): Domain {
    const r = this.random;
    const d: Domain = {
      spec,
      state,
      since: this.now(),
      bootedAt: null,
      lastStep: this.now(),
      cpu: new Walk(5 + r() * 30, 6, 0, 100),
      mem: new Walk(0.35 + r() * 0.4, 0.02, 0.1, 0.95),
      net: new Walk(1e5 + r() * 2e6, 4e5, 0, 1.25e9),
      disk: new Walk(5e4 + r() * 5e6, 1e6, 0, 2e9),
      display: this.displayPorts(spec.display === 'SPICE'),
      balloonMb: spec.currentMemoryMb ?? spec.memoryMb,
    };
    this.domains.set(spec.id, d);
    return d;
  }

  /** The lowest free port (and, for SPICE, a second one for TLS), as libvirt's autoport does. */
  private displayPorts(tls: boolean): Domain['display'] {
    const taken = new Set<number>();
    for (const d of this.domains.values()) {
      if (d.state === 'DOWN') continue;
      taken.add(d.display.port);
      if (d.display.tlsPort) taken.add(d.display.tlsPort);
    }
    const next = (from: number) => {
      let p = from;
      while (taken.has(p)) p++;
      taken.add(p);
      return p;
    };
    const port = next(FIRST_DISPLAY_PORT);
    return { port, tlsPort: tls ? next(port + 1) : null };
  }

  private get(vmId: string): Domain {
    const d = this.domains.get(vmId);
    if (!d || d.state === 'DOWN') throw new Error(`no running domain ${vmId}`);
    return d;
  }

  private transition(d: Domain, state: DomainState, detail?: string, at = this.now()) {
    d.state = state;
    d.since = at;
    for (const l of this.listeners) l({ vmId: d.spec.id, state, detail });
  }

  private exit(d: Domain, reason: ExitReason, message: string, at = this.now()) {
    d.exit = { reason, message };
    d.bootedAt = null;
    this.transition(d, 'DOWN', message, at);
  }

  /** Moves every domain through the states its elapsed time allows (several at once if need be). */
  private advance() {
    const now = this.now();
    for (const d of this.domains.values()) {
      if (d.state === 'MIGRATING_FROM' && this.fabric && d.migration && !this.fabric.get(d.migration.destination)?.hasIncoming(d.spec.id))
        this.failMigration(d, `lost the connection to destination host ${d.migration.destination}`);
      for (;;) {
        const step = this.nextStep(d);
        if (!step || now < d.since + step.afterMs) break;
        const at = d.since + step.afterMs;
        if (step.to === 'DOWN') {
          if (step.reason === 'MIGRATED' && d.migration)
            this.fabric?.get(d.migration.destination)?.completeIncoming(d.spec.id, d.bootedAt, at);
          this.exit(d, step.reason!, step.message!, at);
        } else {
          if (step.to === 'UP') d.bootedAt ??= at;
          this.transition(d, step.to, undefined, at);
        }
      }
    }
  }

  private nextStep(d: Domain): { to: DomainState; afterMs: number; reason?: ExitReason; message?: string } | null {
    switch (d.state) {
      case 'WAIT_FOR_LAUNCH':
        return { to: 'POWERING_UP', afterMs: 200 };
      case 'POWERING_UP':
        return { to: 'UP', afterMs: this.opts.bootMs };
      case 'POWERING_DOWN':
        return { to: 'DOWN', afterMs: this.opts.shutdownMs, reason: 'SHUTDOWN', message: 'the guest powered off' };
      case 'MIGRATING_FROM':
        return { to: 'DOWN', afterMs: this.opts.migrateMs, reason: 'MIGRATED', message: 'migrated to another host' };
      case 'MIGRATING_TO':
        return this.fabric ? null : { to: 'UP', afterMs: this.opts.migrateMs };
      case 'REBOOT_IN_PROGRESS':
        return { to: 'UP', afterMs: this.opts.bootMs };
      case 'SAVING_STATE':
        return { to: 'DOWN', afterMs: this.opts.saveMs, reason: 'SAVED', message: 'the memory was saved to disk' };
      case 'RESTORING_STATE':
        return { to: 'UP', afterMs: this.opts.restoreMs };
      default:
        return null;
    }
  }

  private committedMb() {
    let mb = 0;
    for (const d of this.domains.values()) if (d.state !== 'DOWN') mb += d.spec.memoryMb;
    return mb;
  }

  private sample(d: Domain, now: number): DomainReport {
    const seconds = (now - d.lastStep) / 1000;
    d.lastStep = now;
    const running =
      d.state === 'UP' ||
      d.state === 'POWERING_UP' ||
      d.state === 'MIGRATING_FROM' ||
      d.state === 'MIGRATING_TO' ||
      d.state === 'POWERING_DOWN' ||
      d.state === 'REBOOT_IN_PROGRESS';
    const booting = d.state === 'POWERING_UP' ? 3 : 1; // boot is CPU- and disk-heavy
    const stepped = Math.min(100, d.cpu.step(seconds, this.random) * booting);
    const cpu = running ? (this.cpuLoads.get(d.spec.id) ?? stepped) : 0;
    const memFraction = d.mem.step(seconds, this.random);
    const guestUp = d.state === 'UP' || d.state === 'MIGRATING_FROM' || d.state === 'PAUSED';
    const migrationError = d.migrationError;
    d.migrationError = undefined;
    return {
      id: d.spec.id,
      name: d.spec.name,
      state: d.state,
      ...(d.exit ? { exitReason: d.exit.reason, exitMessage: d.exit.message } : {}),
      ...(d.state === 'MIGRATING_FROM' && d.migration
        ? { migrationProgress: Math.min(99, Math.floor(((now - d.migration.startedAt) / this.opts.migrateMs) * 100)) }
        : {}),
      ...(migrationError ? { migrationError } : {}),
      memoryMb: d.spec.memoryMb,
      vcpus: d.spec.vcpus,
      sample: {
        cpuPercent: round(cpu),
        netRxBps: running ? round(d.net.step(seconds, this.random)) : 0,
        netTxBps: running ? round(d.net.value * 0.6) : 0,
        diskReadBps: running ? round(d.disk.step(seconds, this.random) * booting) : 0,
        diskWriteBps: running ? round(d.disk.value * 0.4) : 0,
        uptimeSeconds: d.bootedAt === null ? 0 : Math.floor((now - d.bootedAt) / 1000),
      },
      display: d.state === 'DOWN' ? null : { type: d.spec.display ?? 'VNC', address: '', ...d.display },
      balloonMb: d.balloonMb,
      guest: guestUp ? guestInfo(d.spec, Math.round(d.balloonMb * memFraction), d.spec.id.charCodeAt(0) % 2 === 0) : null,
    };
  }

  private hostSample(now: number, domains: DomainReport[]) {
    const seconds = (now - this.lastHostStep) / 1000;
    this.lastHostStep = now;
    const threads = this.opts.sockets * this.opts.coresPerSocket * this.opts.threadsPerCore;
    const guestCpu = domains.reduce((sum, d) => sum + (d.sample.cpuPercent * d.vcpus) / threads, 0);
    const busy = Math.min(100, this.hostCpu.step(seconds, this.random) + guestCpu);
    // The guests hold what their balloons leave them (ballooning gives the rest back to the host).
    let guestsMb = 0;
    for (const d of this.domains.values()) if (d.state !== 'DOWN') guestsMb += d.balloonMb;
    const usedMb = Math.min(this.opts.memoryMb, 3072 + guestsMb);
    return {
      cpuUserPercent: round(busy * 0.8),
      cpuSysPercent: round(busy * 0.2),
      cpuIdlePercent: round(100 - busy),
      cpuLoad: round((busy / 100) * threads),
      memUsedMb: usedMb,
      memFreeMb: this.opts.memoryMb - usedMb,
      swapUsedMb: 0,
      netRxBps: round(this.hostNet.step(seconds, this.random) + domains.reduce((s, d) => s + d.sample.netRxBps, 0)),
      netTxBps: round(this.hostNet.value * 0.5 + domains.reduce((s, d) => s + d.sample.netTxBps, 0)),
    };
  }
}

function round(n: number) {
  return Math.round(n * 100) / 100;
}

/** A stable locally administered MAC per host and NIC. */
function mac(hostName: string, index: number): string {
  let h = 0;
  for (const c of hostName) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const bytes = [0x02, 0x1a, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, index];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function sameMac(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
