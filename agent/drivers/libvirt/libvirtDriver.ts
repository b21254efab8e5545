// The host agent's driver for real VMs: libvirt and QEMU, through virsh (see virsh.ts). Domains
// are transient, as VDSM makes them: defined by starting them from the XML the engine's VM
// definition gives (domainXml.ts), gone when they stop. States come from libvirt's lifecycle
// events as they happen (eventStream.ts) and from `domstats` every report.
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { resumeXml } from './resumeXml.ts';
import type {
  CdromMedium,
  DisplayInfo,
  DomainReport,
  DomainSpec,
  DomainState,
  ExitReason,
  GuestInfo,
  NetworkLayout,
  NicSpec,
} from '../../../protocol/messages.ts';
import type { DomainEvent, DriverStats, HypervisorDriver } from '../../driver.ts';
import { domainXml, interfaceXml } from './domainXml.ts';
import { NicDevices } from './nicDevices.ts';
import { parseNuma, parseSysinfo, parseVersions } from './hostHardware.ts';
import { domainState, exitFromEvent } from './domainState.ts';
import { EventStream } from './eventStream.ts';
import { HostSampler, meminfo, osPrettyName, processAgeSeconds } from './hostSample.ts';
import { HostNetworks } from './hostNetworks.ts';
import { LibvirtError, Virsh } from './virsh.ts';
import {
  blockDevices,
  cdromTarget,
  guestData,
  parseDomainList,
  parseDomstats,
  parseFields,
  type GuestData,
  type VirshEvent,
} from './virshOutput.ts';

export interface LibvirtOptions {
  /** libvirt's connection URI, e.g. qemu:///system. */
  uri: string;
  /** Where the agent keeps its files: domain XML, saved memory of suspended VMs. */
  stateDir: string;
  /** Seconds between ACPI shutdown and the guest agent's shutdown when the guest ignores ACPI. */
  acpiGraceSeconds?: number;
  /** Seconds between refreshes of the guest agent's data (hostname, OS, file systems…). */
  guestRefreshSeconds?: number;
  /** Where other hosts' libvirt reaches this one for a live migration, and the address of the memory stream. */
  migration?: { uri: string; address: string };
  /** The host NICs Vireo owns and builds networks on (the agent's --nics); absent: every NIC. */
  nics?: readonly string[];
  /** Where the kernel's KSM switches are (default /sys/kernel/mm/ksm). */
  ksmDir?: string;
  log?: (message: string) => void;
}

interface Counters {
  at: number;
  cpuNs: number;
  rdBytes: number;
  wrBytes: number;
  rxBytes: number;
  txBytes: number;
}

interface Tracked {
  id: string;
  name: string;
  spec?: DomainSpec;
  /** What the driver is doing to the domain (shutdown asked, reboot, save, migration). */
  transition?: DomainState;
  /** The exit reason the driver expects from what it asked (destroy, save). */
  expectedExit?: ExitReason;
  /** Set when the domain stopped; reported once as Down, then the domain is forgotten. */
  exit?: { reason: ExitReason; message: string };
  /** When the domain vanished without an event saying why (the event may still come). */
  vanishedAt?: number;
  /** When libvirt had created (or restored) it: a listing taken before then cannot show it. */
  launchedAt?: number;
  /** When the driver asked libvirt to start it: an event from before then is about an earlier domain of that name. */
  startedAt?: number;
  agentConnected: boolean;
  counters?: Counters;
  guest?: { data: GuestData; at: number };
  display?: DisplayInfo | null;
  last?: DomainReport;
  timers: NodeJS.Timeout[];
  migrationProgress?: number;
  /** Why the last outgoing migration failed; reported once. */
  migrationError?: string;
}

/** libvirt's shut-off and crashed states (virDomainState 5, 6). */
const TEARING_DOWN = new Set([5, 6]);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

/** libvirt's time format for passwdValidTo: UTC, no fraction. */
function libvirtTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export class LibvirtDriver implements HypervisorDriver {
  private readonly virsh: Virsh;
  private readonly domains = new Map<string, Tracked>();
  /** When a start of each VM last failed (its domain forgotten): listings taken before then are stale. */
  private readonly failedStarts = new Map<string, number>();
  private readonly listeners = new Set<(e: DomainEvent) => void>();
  private readonly sampler = new HostSampler();
  private readonly events: EventStream;
  private readonly log: (m: string) => void;
  private readonly virtType: 'kvm' | 'qemu' = existsSync('/dev/kvm') ? 'kvm' : 'qemu';
  /** libvirt's last refusal, until it answers again. */
  private unreachable: string | null = null;
  private readonly networks: HostNetworks;
  private readonly nicDevices: NicDevices;

  constructor(private readonly opts: LibvirtOptions) {
    this.virsh = new Virsh(opts.uri);
    this.log = opts.log ?? ((m) => console.log(`[libvirt] ${m}`));
    this.nicDevices = new NicDevices(this.virsh, opts.stateDir);
    this.networks = new HostNetworks({ stateDir: opts.stateDir, ...(opts.nics ? { nics: opts.nics } : {}), log: this.log });
    this.events = new EventStream(
      opts.uri,
      (e) => this.onLibvirtEvent(e),
      (message) => {
        this.log(`event stream lost: ${message}`);
        this.emit({ vmId: '', state: 'NOT_RESPONDING', detail: message });
      },
    );
    this.events.start();
  }

  close(): void {
    this.events.stop();
    for (const d of this.domains.values()) for (const t of d.timers) clearTimeout(t);
  }

  // ---------------------------------------------------------------- host

  async capabilities(): ReturnType<HypervisorDriver['capabilities']> {
    const net = await this.networks.report();
    const mem = meminfo();
    try {
      const capsXml = await this.virsh.run(['capabilities']);
      const caps = xml.parse(capsXml) as {
        capabilities: { host: { cpu: { model?: string; topology?: Record<string, string> } } };
      };
      const cpu = caps.capabilities.host.cpu;
      const t = cpu.topology ?? {};
      const versionText = await this.virsh.run(['version']);
      // DMI needs root (dmidecode): without it, the rest of the hardware still comes.
      const sysinfo = await this.virsh.run(['sysinfo']).catch(() => '');
      const hardware = { ...parseSysinfo(sysinfo), kernel: release(), ...parseVersions(versionText), numa: parseNuma(capsXml) };
      const version = versionText
        .split('\n')
        .filter((l) => /Using library|Running hypervisor/.test(l))
        .map((l) => l.split(':')[1]!.trim())
        .join(', ');
      this.unreachable = null;
      return {
        cpu: {
          model: String(cpu.model ?? 'unknown'),
          sockets: Number(t.sockets ?? 1),
          coresPerSocket: Number(t.cores ?? 1),
          threadsPerCore: Number(t.threads ?? 1),
        },
        memoryMb: Math.round((mem.get('MemTotal') ?? 0) / 1024),
        osVersion: `${osPrettyName()} (${version}${this.virtType === 'qemu' ? ', TCG: no /dev/kvm' : ''})`,
        hardware,
        ...net,
        storage: [],
        ...(this.opts.migration ? { migration: this.opts.migration } : {}),
      };
    } catch (err) {
      // The agent still says hello (so the engine learns why the host cannot run VMs).
      this.unreachable = (err as Error).message;
      const cpus =
        (await readFile('/proc/cpuinfo', 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('processor')).length || 1;
      return {
        cpu: { model: 'unknown (libvirt unreachable)', sockets: 1, coresPerSocket: cpus, threadsPerCore: 1 },
        memoryMb: Math.round((mem.get('MemTotal') ?? 0) / 1024),
        osVersion: osPrettyName(),
        ...net,
        storage: [],
      };
    }
  }

  async listDomains() {
    const list = parseDomainList(await this.virsh.run(['list', '--uuid', '--name']));
    const stats = parseDomstats(await this.virsh.run(['domstats', '--raw', '--state', '--list-active']));
    return list.map((d) => {
      const s = stats.get(d.name);
      const t = this.domains.get(d.id);
      return {
        id: d.id,
        name: d.name,
        state: s
          ? domainState({
              state: Number(s.get('state.state')),
              reason: Number(s.get('state.reason')),
              transition: t?.transition,
              agentConnected: t?.agentConnected ?? true,
              uptimeSeconds: Infinity,
            })
          : ('DOWN' as DomainState),
      };
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /** The XML a start of this definition uses (its console password a random one, already expired). */
  describe(spec: DomainSpec): string {
    return domainXml(this.onThisHost(spec), { virtType: this.virtType, displayPassword: randomBytes(6).toString('base64url') });
  }

  async currentDescription(vmId: string): Promise<string> {
    return this.virsh.run(['dumpxml', '--migratable', this.get(vmId).name]);
  }

  async start(
    spec: DomainSpec,
    opts: { incomingMigration?: boolean; restoreState?: boolean; domainXml?: string } = {},
  ): Promise<undefined> {
    const existing = this.domains.get(spec.id);
    if (existing && !existing.exit) {
      // A domain libvirt listed a moment ago (a start that failed, then vanished) may still be tracked.
      const active = parseDomainList(await this.virsh.run(['list', '--uuid', '--name'])).some((d) => d.id === spec.id);
      if (active) throw new LibvirtError(`domain ${spec.name} is already running on this host`);
      this.forget(existing);
    }
    await mkdir(this.opts.stateDir, { recursive: true });
    const d = this.track(spec.id, spec.name);
    d.spec = spec;
    d.startedAt = Date.now();
    if (opts.incomingMigration) {
      d.transition = 'MIGRATING_TO';
      return;
    }
    d.transition = 'WAIT_FOR_LAUNCH'; // not listed by libvirt until created: not "gone"
    try {
      const memory = this.memoryFile(spec.id, spec.disks?.[0]?.path);
      if (opts.restoreState) {
        if (!existsSync(memory)) throw new LibvirtError(`no saved memory of ${spec.name} where this host looks (${memory})`);
        d.transition = 'RESTORING_STATE';
        const xmlArgs: string[] = [];
        if (opts.domainXml) {
          const file = path.join(this.opts.stateDir, `${spec.id}.restore.xml`);
          await writeFile(file, opts.domainXml);
          xmlArgs.push('--xml', file);
        }
        await this.virsh.run(['restore', memory, '--running', ...xmlArgs], { timeoutMs: 600_000 });
        await rm(memory, { force: true });
      } else if (spec.memoryState?.path) {
        // A memory snapshot previewed with its memory (VDSM's restore of a memory volume): the saved
        // domain resumes with its devices as saved, on today's images (resumeXml.ts).
        await rm(memory, { force: true });
        d.transition = 'RESTORING_STATE';
        const saved = await this.virsh.run(['save-image-dumpxml', spec.memoryState.path]);
        const file = path.join(this.opts.stateDir, `${spec.id}.xml`);
        await writeFile(file, resumeXml(saved, opts.domainXml ?? this.describe(spec)));
        await this.virsh.run(['restore', spec.memoryState.path, '--running', '--xml', file], { timeoutMs: 600_000 });
      } else {
        await rm(memory, { force: true }); // a fresh boot: memory saved before is stale
        const file = path.join(this.opts.stateDir, `${spec.id}.xml`);
        await writeFile(file, opts.domainXml ?? this.describe(spec));
        await this.virsh.run(['create', file]);
      }
      d.launchedAt = Date.now();
      d.transition = undefined;
      this.failedStarts.delete(spec.id);
      d.display = await this.readDisplay(spec.name);
    } catch (err) {
      this.forget(d);
      this.failedStarts.set(spec.id, Date.now());
      throw err;
    }
  }

  /** NICs whose network has no bridge on this host get user-mode networking (said in the log). */
  private onThisHost(spec: DomainSpec): DomainSpec {
    const nics = spec.nics?.map((n) => this.nicOnThisHost(spec.name, n));
    return nics ? { ...spec, nics } : spec;
  }

  private nicOnThisHost(domain: string, n: NicSpec): NicSpec {
    if (!n.bridge || existsSync(`/sys/class/net/${n.bridge}/bridge`)) return n;
    this.log(`${domain}: no bridge ${n.bridge} on this host; NIC ${n.mac} gets user-mode networking`);
    return { ...n, bridge: null };
  }

  // ---------------------------------------------------------------- NICs, live

  async hotplugNic(vmId: string, nic: NicSpec, xml?: string): Promise<void> {
    const d = this.pluggable(vmId);
    await this.nicDevices.attach(d.name, xml ?? interfaceXml(this.nicOnThisHost(d.name, nic)));
    if (d.spec) d.spec = { ...d.spec, nics: [...(d.spec.nics ?? []), nic] };
  }

  async hotunplugNic(vmId: string, mac: string): Promise<void> {
    const d = this.pluggable(vmId);
    await this.nicDevices.detach(d.name, mac);
    if (d.spec) d.spec = { ...d.spec, nics: d.spec.nics?.filter((n) => n.mac.toLowerCase() !== mac.toLowerCase()) };
  }

  async updateNic(vmId: string, nic: NicSpec): Promise<void> {
    const d = this.pluggable(vmId);
    await this.nicDevices.update(d.name, interfaceXml(this.nicOnThisHost(d.name, nic)));
    if (d.spec) d.spec = { ...d.spec, nics: d.spec.nics?.map((n) => (n.mac.toLowerCase() === nic.mac.toLowerCase() ? nic : n)) };
  }

  /** VDSM refuses device changes while the domain migrates. */
  private pluggable(vmId: string): Tracked {
    const d = this.get(vmId);
    if (d.transition === 'MIGRATING_FROM' || d.transition === 'MIGRATING_TO') throw new LibvirtError(`${d.name} is migrating`);
    return d;
  }

  async destroy(vmId: string): Promise<void> {
    const d = this.get(vmId);
    d.expectedExit = 'DESTROYED';
    try {
      await this.virsh.run(['destroy', d.name]);
    } catch (err) {
      // An incoming migration that never came: nothing runs here to stop.
      if (d.transition !== 'MIGRATING_TO') throw err;
      this.forget(d);
    }
  }

  async shutdown(vmId: string): Promise<void> {
    const d = this.get(vmId);
    await this.virsh.run(['shutdown', d.name, '--mode', 'acpi']);
    d.transition = 'POWERING_DOWN';
    // A guest that ignores the power button: ask its guest agent.
    d.timers.push(
      setTimeout(
        () => {
          if (this.domains.get(vmId) !== d || d.exit || !d.agentConnected) return;
          this.virsh
            .run(['shutdown', d.name, '--mode', 'agent'])
            .catch((e: Error) => this.log(`agent shutdown of ${d.name}: ${e.message}`));
        },
        (this.opts.acpiGraceSeconds ?? 15) * 1000,
      ),
    );
  }

  async reboot(vmId: string): Promise<void> {
    const d = this.get(vmId);
    await this.virsh.run(['reboot', d.name]);
    d.transition = 'REBOOT_IN_PROGRESS';
    d.agentConnected = false;
    d.timers.push(
      setTimeout(() => {
        if (d.transition === 'REBOOT_IN_PROGRESS') d.transition = undefined;
      }, 60_000),
    );
  }

  async pause(vmId: string): Promise<void> {
    await this.virsh.run(['suspend', this.get(vmId).name]);
  }

  async resume(vmId: string): Promise<void> {
    await this.virsh.run(['resume', this.get(vmId).name]);
  }

  async hibernate(vmId: string): Promise<void> {
    const d = this.get(vmId);
    const memory = this.memoryFile(vmId, await this.bootDiskPath(d));
    await mkdir(path.dirname(memory), { recursive: true });
    d.transition = 'SAVING_STATE';
    d.expectedExit = 'SAVED';
    try {
      await this.virsh.run(['save', d.name, memory], { timeoutMs: 600_000 });
    } catch (err) {
      d.transition = undefined;
      d.expectedExit = undefined;
      throw err;
    }
  }

  /**
   * An external snapshot over the overlays the agent made (`--reuse-external`; libvirt keeps no
   * snapshot metadata: the engine holds the chain): each disk in `files.disks` goes on over its new
   * overlay, the others are left out; with `files.memory`, the memory is saved there too.
   */
  async snapshot(
    vmId: string,
    description: string,
    files: { disks: { source: string; overlay: string }[]; memory: string | null },
  ): Promise<void> {
    const d = this.get(vmId);
    if (!files.disks.length && !files.memory) return;
    // virsh's option lists take a comma doubled as a literal one.
    const spec = (target: string, file?: string) =>
      file ? `${target},snapshot=external,file=${file.replaceAll(',', ',,')}` : `${target},snapshot=no`;
    const disks = blockDevices(await this.virsh.run(['domblklist', d.name, '--details'])).filter((b) => b.device === 'disk');
    if (files.memory) await mkdir(path.dirname(files.memory), { recursive: true });
    await this.virsh.run(
      [
        'snapshot-create-as',
        d.name,
        '--description',
        description,
        '--no-metadata',
        '--reuse-external',
        '--atomic',
        ...(files.memory ? ['--memspec', `file=${files.memory.replaceAll(',', ',,')},snapshot=external`] : ['--disk-only']),
        ...disks.flatMap((b) => ['--diskspec', spec(b.target, files.disks.find((f) => f.source === b.source)?.overlay)]),
      ],
      { timeoutMs: 600_000 },
    );
  }

  /**
   * `virsh blockcommit` on the disk whose images sit in top's folder: an active top is committed and
   * pivoted (`--active --pivot`), a lower one committed with the image above it rebased on base, its
   * backing path kept relative (`--keep-relative`). Waits for the block job (a whole volume may be copied).
   */
  async blockCommit(vmId: string, merge: { top: string; base: string; active: boolean }): Promise<void> {
    const d = this.get(vmId);
    const disks = blockDevices(await this.virsh.run(['domblklist', d.name, '--details'])).filter((b) => b.device === 'disk');
    const disk = disks.find((b) => path.dirname(b.source) === path.dirname(merge.top));
    if (!disk) throw new LibvirtError(`${d.name} runs no disk with image ${merge.top}`);
    if (merge.active !== (disk.source === merge.top))
      throw new LibvirtError(`${merge.top} is ${merge.active ? 'not' : ''} the image ${d.name} writes to on ${disk.target}`);
    await this.virsh.run(
      [
        'blockcommit',
        d.name,
        disk.target,
        '--base',
        merge.base,
        ...(merge.active ? ['--active', '--pivot'] : ['--top', merge.top, '--keep-relative']),
        '--wait',
      ],
      { timeoutMs: 6 * 3600_000 },
    );
  }

  /**
   * `virsh blockcopy` of the disk running on `source` onto the image the agent made
   * (`--reuse-external`, its format told so libvirt never probes it; `--shallow` keeps the backing
   * chain it names), waiting for the mirror to catch up and pivoting (`--wait --pivot`);
   * `--transient-job` as the domain may be persistent. If the pivot fails or the wait ends, the copy
   * job still there is aborted, so the domain goes on from source; another kind of job is left alone.
   */
  async blockCopy(vmId: string, copy: { source: string; dest: string; format: 'qcow2' | 'raw'; shallow: boolean }): Promise<void> {
    const d = this.get(vmId);
    const disks = blockDevices(await this.virsh.run(['domblklist', d.name, '--details'])).filter((b) => b.device === 'disk');
    const disk = disks.find((b) => b.source === copy.source);
    if (!disk) throw new LibvirtError(`${d.name} writes to no disk image ${copy.source}`);
    try {
      await this.virsh.run(
        [
          'blockcopy',
          d.name,
          disk.target,
          '--dest',
          copy.dest,
          '--format',
          copy.format,
          '--reuse-external',
          ...(copy.shallow ? ['--shallow'] : []),
          '--transient-job',
          '--wait',
          '--pivot',
        ],
        { timeoutMs: 6 * 3600_000 },
      );
    } catch (e) {
      const job = await this.virsh.run(['blockjob', d.name, disk.target, '--info', '--raw']).catch(() => '');
      if (/^\s*type=.*copy/im.test(job)) await this.virsh.run(['blockjob', d.name, disk.target, '--abort']).catch(() => undefined);
      throw e;
    }
  }

  /** The running domain's disks, the image each runs from now (`virsh domblklist --details`) and whether a copy job mirrors it. */
  async diskSources(vmId: string): Promise<{ target: string; source: string; copying: boolean }[]> {
    const d = this.get(vmId);
    const disks = blockDevices(await this.virsh.run(['domblklist', d.name, '--details'])).filter(
      (b) => b.device === 'disk' && b.source !== '-',
    );
    return Promise.all(
      disks.map(async (b) => {
        const job = await this.virsh.run(['blockjob', d.name, b.target, '--info', '--raw']).catch(() => '');
        return { target: b.target, source: b.source, copying: /^\s*type=.*copy/im.test(job) };
      }),
    );
  }

  /** `virsh change-media` on the running domain's CD-ROM drive (found by its device type), as VDSM's changeCD. */
  async changeCd(vmId: string, medium: CdromMedium | null): Promise<void> {
    const d = this.get(vmId);
    const target = cdromTarget(await this.virsh.run(['domblklist', d.name, '--details']));
    if (!target) throw new LibvirtError(`${d.name} has no CD-ROM drive`);
    await this.virsh.run([
      'change-media',
      d.name,
      target,
      ...(medium?.path ? [medium.path, '--update'] : ['--eject']),
      '--live',
      '--force',
    ]);
  }

  async migrate(vmId: string, destination: string, peer?: { uri: string; address: string }, xmlForDestination?: string): Promise<void> {
    const d = this.get(vmId);
    if (!peer) throw new LibvirtError(`host ${destination} did not register where its hypervisor takes migrations`);
    const xmlArgs: string[] = [];
    if (xmlForDestination) {
      const file = path.join(this.opts.stateDir, `${vmId}.migrate.xml`);
      await mkdir(this.opts.stateDir, { recursive: true });
      await writeFile(file, xmlForDestination);
      xmlArgs.push('--xml', file);
    }
    d.transition = 'MIGRATING_FROM';
    d.migrationProgress = 0;
    d.migrationError = undefined;
    // Peer to peer: this libvirtd talks to the destination's. --unsafe: libvirt cannot tell that a
    // local file system is shared storage (the images are on a storage domain both hosts mount).
    this.virsh
      .run(['migrate', '--live', '--p2p', '--unsafe', ...xmlArgs, d.name, peer.uri, '--migrateuri', `tcp://${peer.address}`], {
        timeoutMs: 3_600_000,
      })
      .catch((err: Error) => {
        if (this.domains.get(vmId) !== d || d.exit) return;
        d.transition = undefined;
        d.migrationError = err.message;
        this.emit({ vmId, state: 'UP', detail: `migration failed: ${err.message}` });
      });
  }

  async cancelMigration(vmId: string): Promise<void> {
    const d = this.get(vmId);
    if (d.transition !== 'MIGRATING_FROM') throw new LibvirtError(`${d.name} is not migrating`);
    await this.virsh.run(['domjobabort', d.name]);
  }

  /** Linux bridges, bonds and VLAN devices, as VDSM builds them (hostNetworks.ts): all of the layout, or nothing and why. */
  async setupNetworks(layout: NetworkLayout): Promise<void> {
    await this.networks.setup(layout);
  }

  /** `virsh setmem --live`: the balloon driver in the guest gives the memory back to the host (or takes it again). */
  async setBalloon(vmId: string, memoryMb: number): Promise<void> {
    await this.virsh.run(['setmem', this.get(vmId).name, `${memoryMb * 1024}`, '--live']);
  }

  /** KSM through sysfs (`run`: 1 merges, 0 stops), as MOM does; false where the kernel has none. */
  async setKsm(running: boolean): Promise<boolean> {
    const dir = this.opts.ksmDir ?? '/sys/kernel/mm/ksm';
    if (!existsSync(path.join(dir, 'run'))) return false;
    await writeFile(path.join(dir, 'run'), running ? '1\n' : '0\n');
    return true;
  }

  async setTicket(vmId: string, password: string, validSeconds: number): Promise<void> {
    const d = this.get(vmId);
    d.display ??= await this.readDisplay(d.name);
    const display = d.display;
    if (!display) throw new LibvirtError(`${d.name} has no console`);
    const type = display.type === 'SPICE' ? 'spice' : 'vnc';
    // libvirt compares the device with the running one: the same listen address, a new password.
    const listen = display.address || '0.0.0.0';
    const device =
      `<graphics type='${type}' passwd='${password.replace(/[^\w-]/g, '')}' passwdValidTo='${libvirtTime(Date.now() + validSeconds * 1000)}' connected='keep'>` +
      `<listen type='address' address='${listen}'/></graphics>`;
    const file = path.join(this.opts.stateDir, `${vmId}.ticket.xml`);
    await mkdir(this.opts.stateDir, { recursive: true });
    await writeFile(file, device, { mode: 0o600 });
    try {
      await this.virsh.run(['update-device', d.name, file, '--live']);
    } finally {
      await rm(file, { force: true });
    }
  }

  onEvent(listener: (event: DomainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---------------------------------------------------------------- monitoring

  async stats(): Promise<DriverStats> {
    const host = this.sampler.sample();
    let list: { id: string; name: string }[];
    let stats: Map<string, Map<string, string>>;
    const listedAt = Date.now();
    try {
      list = parseDomainList(await this.virsh.run(['list', '--uuid', '--name'], { timeoutMs: 10_000 }));
      stats = parseDomstats(
        await this.virsh.run(
          ['domstats', '--raw', '--list-active', '--state', '--cpu-total', '--balloon', '--vcpu', '--interface', '--block'],
          { timeoutMs: 10_000 },
        ),
      );
    } catch (err) {
      this.unreachable = (err as Error).message;
      return { host, domains: [], hypervisorError: `libvirt at ${this.opts.uri}: ${this.unreachable}` };
    }
    this.unreachable = null;
    const now = Date.now();
    const seen = new Set<string>();
    const reports: DomainReport[] = [];
    for (const { id, name } of list) {
      const s = stats.get(name);
      if (!s) continue;
      const tracked = this.domains.get(id);
      if (tracked?.exit) continue; // stopped: reported Down below
      // Shut off but still listed: libvirt is tearing it down, and its Stopped event will say why.
      if (TEARING_DOWN.has(Number(s.get('state.state')))) continue;
      // Listed before a start of it failed (and was forgotten): not a domain to take back.
      if (!tracked && (this.failedStarts.get(id) ?? -1) >= listedAt) continue;
      seen.add(id);
      const d = this.track(id, name);
      d.last = await this.report(d, s, now);
      reports.push(d.last);
    }
    for (const d of [...this.domains.values()]) {
      if (seen.has(d.id)) continue;
      if (!d.exit && (d.transition === 'WAIT_FOR_LAUNCH' || d.transition === 'MIGRATING_TO' || d.transition === 'RESTORING_STATE'))
        continue; // not here yet
      if (!d.exit && d.launchedAt !== undefined && d.launchedAt >= listedAt) continue; // started after the listing was taken
      if (!d.exit) {
        // Gone without an event yet: the event names the reason, so wait for it a little.
        d.vanishedAt ??= now;
        if (now - d.vanishedAt < 2000 && d.last) {
          reports.push(d.last);
          continue;
        }
        d.exit = d.expectedExit
          ? exitFromEvent(d.expectedExit === 'SAVED' ? 'Saved' : 'Destroyed')
          : { reason: 'CRASHED', message: 'the domain disappeared from libvirt' };
      }
      reports.push(this.downReport(d));
      this.forget(d);
    }
    return { host, domains: reports };
  }

  private async report(d: Tracked, s: Map<string, string>, now: number): Promise<DomainReport> {
    const num = (k: string) => Number(s.get(k) ?? 0);
    const pid = await this.qemuPid(d.name);
    const uptimeSeconds = (pid ? processAgeSeconds(pid) : null) ?? 0;
    const vcpus = num('vcpu.current') || d.spec?.vcpus || 1;
    const sum = (count: string, key: (i: number) => string) => {
      let t = 0;
      for (let i = 0; i < num(count); i++) t += num(key(i));
      return t;
    };
    let rxBytes = sum('net.count', (i) => `net.${i}.rx.bytes`);
    let txBytes = sum('net.count', (i) => `net.${i}.tx.bytes`);
    if (d.transition === 'MIGRATING_TO' && num('state.state') === 1) d.transition = undefined; // the migration arrived
    const state = domainState({
      state: num('state.state'),
      reason: num('state.reason'),
      transition: d.transition,
      agentConnected: d.agentConnected,
      uptimeSeconds,
    });
    if (state === 'MIGRATING_FROM') d.migrationProgress = (await this.migrationProgress(d.name)) ?? d.migrationProgress;
    const migrationError = d.migrationError;
    d.migrationError = undefined;
    if (state === 'UP' && d.transition === 'REBOOT_IN_PROGRESS') d.transition = undefined;
    const guest = await this.guest(d, now, state);
    if (num('net.count') > 0 && !s.has('net.0.rx.bytes') && d.agentConnected) {
      // User-mode networking has no host tap to count on: the guest's own counters.
      const counters = await this.guestNetCounters(d.name);
      if (counters) ({ rxBytes, txBytes } = counters);
    }
    const counters: Counters = {
      at: now,
      cpuNs: num('cpu.time'),
      rdBytes: sum('block.count', (i) => `block.${i}.rd.bytes`),
      wrBytes: sum('block.count', (i) => `block.${i}.wr.bytes`),
      rxBytes,
      txBytes,
    };
    const prev = d.counters;
    d.counters = counters;
    const secs = prev ? Math.max(0.001, (now - prev.at) / 1000) : 0;
    const rate = (a: number, b: number) => (prev && secs ? Math.max(0, (a - b) / secs) : 0);
    const balloonKb = num('balloon.current') || num('balloon.maximum');
    const memUsedKb = s.has('balloon.usable') ? num('balloon.available') - num('balloon.usable') : null;
    if (d.display === undefined) d.display = await this.readDisplay(d.name).catch(() => null);
    return {
      id: d.id,
      name: d.name,
      state,
      memoryMb: Math.round((num('balloon.maximum') || balloonKb) / 1024) || d.spec?.memoryMb || 0,
      ...(balloonKb ? { balloonMb: Math.round(balloonKb / 1024) } : {}),
      vcpus,
      sample: {
        cpuPercent: prev && secs ? Math.min(100, Math.max(0, (100 * (counters.cpuNs - prev.cpuNs)) / (secs * 1e9 * vcpus))) : 0,
        netRxBps: rate(counters.rxBytes, prev?.rxBytes ?? 0),
        netTxBps: rate(counters.txBytes, prev?.txBytes ?? 0),
        diskReadBps: rate(counters.rdBytes, prev?.rdBytes ?? 0),
        diskWriteBps: rate(counters.wrBytes, prev?.wrBytes ?? 0),
        uptimeSeconds,
      },
      guest: guest ? { ...guest, memUsedMb: memUsedKb !== null ? Math.max(0, Math.round(memUsedKb / 1024)) : 0 } : null,
      display: d.display ?? null,
      ...(state === 'MIGRATING_FROM' ? { migrationProgress: d.migrationProgress ?? 0 } : {}),
      ...(migrationError ? { migrationError } : {}),
    };
  }

  /** Percent of the memory sent, from the migration job (`virsh domjobinfo`). */
  private async migrationProgress(name: string): Promise<number | null> {
    const info = parseFields(await this.virsh.run(['domjobinfo', name], { timeoutMs: 5000 }).catch(() => ''));
    const bytes = (v?: string) => {
      const m = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB)$/.exec(v ?? '');
      return m ? Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(m[2]!) : null;
    };
    const total = bytes(info.get('Data total'));
    const remaining = bytes(info.get('Data remaining'));
    if (!total || remaining === null) return null;
    return Math.min(99, Math.max(0, Math.floor((100 * (total - remaining)) / total)));
  }

  /** The guest agent's data, refreshed every few seconds while it answers. */
  private async guest(d: Tracked, now: number, state: DomainState): Promise<Omit<GuestInfo, 'memUsedMb'> | null> {
    if (state === 'DOWN' || state === 'PAUSED' || state === 'MIGRATING_TO' || state === 'WAIT_FOR_LAUNCH') return this.guestInfo(d);
    const refreshMs = (this.opts.guestRefreshSeconds ?? 10) * 1000;
    if (!d.guest || now - d.guest.at >= refreshMs || (d.agentConnected && !d.guest.data.hostname)) {
      try {
        const data = guestData(parseFields(await this.virsh.run(['guestinfo', d.name], { timeoutMs: 5000 })));
        d.guest = { data, at: now };
        if (!d.agentConnected) {
          d.agentConnected = true;
        }
      } catch {
        d.agentConnected = false;
        d.guest = undefined;
      }
    }
    return this.guestInfo(d);
  }

  private guestInfo(d: Tracked): Omit<GuestInfo, 'memUsedMb'> | null {
    const g = d.guest?.data;
    if (!g) return null;
    const os = g.os ? [`${g.os.name}; kernel ${g.os.kernel}`] : [];
    const fs = g.filesystems.map((f) => `${f.mountpoint} (${f.type}): ${f.usedBytes} of ${f.totalBytes} bytes used`);
    return { hostname: g.hostname, ips: g.ips, applications: [...os, ...fs], loggedInUser: g.users[0] ?? '' };
  }

  private async guestNetCounters(name: string): Promise<{ rxBytes: number; txBytes: number } | null> {
    try {
      const out = JSON.parse(
        await this.virsh.run(['qemu-agent-command', name, '{"execute":"guest-network-get-interfaces"}', '--timeout', '3'], {
          timeoutMs: 5000,
        }),
      ) as { return: { name: string; statistics?: { 'rx-bytes': number; 'tx-bytes': number } }[] };
      let rxBytes = 0;
      let txBytes = 0;
      // The guest's received bytes are the bytes the host sent it, and the other way round.
      for (const i of out.return)
        if (i.name !== 'lo' && i.statistics) {
          rxBytes += i.statistics['tx-bytes'];
          txBytes += i.statistics['rx-bytes'];
        }
      return { rxBytes, txBytes };
    } catch {
      return null;
    }
  }

  private async readDisplay(name: string): Promise<DisplayInfo | null> {
    const doc = xml.parse(await this.virsh.run(['dumpxml', name])) as {
      domain: { devices: { graphics?: Record<string, string> | Record<string, string>[] } };
    };
    const g = [doc.domain.devices.graphics ?? []].flat()[0];
    if (!g?.port || Number(g.port) <= 0) return null;
    const listen = g.listen && g.listen !== '0.0.0.0' && g.listen !== '::' ? g.listen : '';
    return {
      type: g.type === 'spice' ? 'SPICE' : 'VNC',
      address: listen,
      port: Number(g.port),
      tlsPort: g.tlsPort && Number(g.tlsPort) > 0 ? Number(g.tlsPort) : null,
      websocketPort: g.websocket && Number(g.websocket) > 0 ? Number(g.websocket) : null,
    };
  }

  /** QEMU's PID, from the pid file libvirt keeps beside its socket (/run/libvirt/qemu/NAME.pid). */
  private async qemuPid(name: string): Promise<number | null> {
    const socket = /[?&]socket=([^&]+)/.exec(this.opts.uri)?.[1];
    const runDir = socket ? path.dirname(decodeURIComponent(socket)) : '/run/libvirt';
    const pid = Number((await readFile(path.join(runDir, 'qemu', `${name}.pid`), 'utf8').catch(() => '')).trim());
    return pid > 0 ? pid : null;
  }

  private downReport(d: Tracked): DomainReport {
    const base = d.last ?? {
      id: d.id,
      name: d.name,
      memoryMb: d.spec?.memoryMb ?? 0,
      vcpus: d.spec?.vcpus ?? 1,
      sample: { cpuPercent: 0, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0, uptimeSeconds: 0 },
      guest: null,
    };
    return {
      ...base,
      state: 'DOWN',
      exitReason: d.exit!.reason,
      exitMessage: d.exit!.message,
      guest: null,
      display: null,
      migrationProgress: undefined,
    };
  }

  // ---------------------------------------------------------------- events

  private onLibvirtEvent(e: VirshEvent): void {
    const d = [...this.domains.values()].find((t) => t.name === e.domain);
    if (e.kind === 'lifecycle') {
      if (!d) {
        this.emit({ vmId: '', state: 'UP', detail: `${e.domain} ${e.event}` });
        return;
      }
      if (e.event === 'Stopped') {
        // Late news of an earlier domain of this name (a start that failed just before this one).
        if (e.at !== undefined && d.startedAt !== undefined && e.at < d.startedAt) return;
        const exit = exitFromEvent(e.detail);
        const expected = d.expectedExit;
        d.exit =
          expected === 'DESTROYED' && exit.reason === 'DESTROYED'
            ? { reason: 'DESTROYED', message: 'the VM was powered off by the engine' }
            : expected === 'SAVED'
              ? exitFromEvent('Saved')
              : exit.reason === 'DESTROYED'
                ? { reason: 'DESTROYED', message: 'the VM was powered off outside Vireo' }
                : exit;
        this.emit({ vmId: d.id, state: 'DOWN', detail: d.exit.message });
      } else if (e.event === 'Started' || e.event === 'Resumed' || e.event === 'Suspended' || e.event === 'Shutdown') {
        this.emit({ vmId: d.id, state: e.event === 'Suspended' ? 'PAUSED' : 'UP', detail: `${e.event} ${e.detail}` });
      }
    } else if (e.kind === 'agent' && d) {
      d.agentConnected = e.connected;
      if (e.connected && d.transition === 'REBOOT_IN_PROGRESS') d.transition = undefined;
      d.guest = undefined; // read again now
      this.emit({ vmId: d.id, state: 'UP', detail: `guest agent ${e.connected ? 'connected' : 'disconnected'}` });
    }
  }

  private emit(event: DomainEvent): void {
    for (const l of this.listeners) l(event);
  }

  // ---------------------------------------------------------------- bookkeeping

  private track(id: string, name: string): Tracked {
    let d = this.domains.get(id);
    if (!d || d.exit) {
      if (d) this.forget(d);
      d = { id, name, agentConnected: false, timers: [] };
      this.domains.set(id, d);
    }
    d.name = name;
    return d;
  }

  private forget(d: Tracked): void {
    for (const t of d.timers) clearTimeout(t);
    if (this.domains.get(d.id) === d) this.domains.delete(d.id);
  }

  private get(vmId: string): Tracked {
    const d = this.domains.get(vmId);
    if (!d || d.exit) throw new LibvirtError(`no domain ${vmId} runs on this host`);
    return d;
  }

  /** The running domain's first disk image (from its definition, or libvirt's for a domain found running). */
  private async bootDiskPath(d: Tracked): Promise<string | undefined> {
    if (d.spec) return d.spec.disks?.[0]?.path;
    const dumped = await this.virsh.run(['dumpxml', d.name]);
    return /<disk type='file' device='disk'>[\s\S]*?<source file='([^']+)'/.exec(dumped)?.[1];
  }

  /**
   * Where a suspended VM's memory is saved: beside its images, on its first disk's storage domain
   * (`<domain dir>/memory/<vm id>.save`), so any host of the data center can restore it, as oVirt keeps
   * memory volumes on a storage domain; in the agent's state dir for a VM without a disk on a domain.
   */
  private memoryFile(vmId: string, diskPath: string | undefined): string {
    const imagesDir = diskPath && path.dirname(path.dirname(diskPath));
    return imagesDir && path.basename(imagesDir) === 'images'
      ? path.join(path.dirname(imagesDir), 'memory', `${vmId}.save`)
      : path.join(this.opts.stateDir, `${vmId}.save`);
  }

  /** The domain XML kept in a suspended VM's saved memory (what a restore starts from). */
  async savedDescription(spec: DomainSpec): Promise<string> {
    return this.virsh.run(['save-image-dumpxml', this.memoryFile(spec.id, spec.disks?.[0]?.path)]);
  }
}
