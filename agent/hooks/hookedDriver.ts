// Runs VDSM's hooks around a hypervisor driver's verbs, so every driver gets them alike:
// before_vm_start (its XML is what the domain starts from), after_vm_start,
// before_vm_migrate_source then before_vm_migrate_destination (the source's hooks rewrite the running
// domain's XML, the destination's hooks rewrite that, and the result is what the destination defines),
// before/after_vm_hibernate, before/after_vm_dehibernate (a restore; its XML is what the saved memory
// is restored with), before/after_nic_hotplug and before/after_nic_hotunplug (over the NIC's
// <interface> XML, as VDSM; before_nic_hotplug's is what gets plugged), and after_vm_destroy whenever a domain of this host stops. A failing
// `before_*` hook fails the verb before the driver did anything. The host's hello lists the hooks.
import type { CdromMedium, DomainSpec, NicSpec } from '../../protocol/messages.ts';
import { interfaceXml } from '../drivers/libvirt/domainXml.ts';
import type { DomainEvent, DriverStats, HypervisorDriver } from '../driver.ts';
import type { HookRunner } from './hookRunner.ts';

export class HookedDriver implements HypervisorDriver {
  /** The definitions of the domains started here (their custom properties are the hooks' environment). */
  private readonly specs = new Map<string, DomainSpec>();
  /** The last XML known of each domain: what after_vm_destroy gets once it is gone. */
  private readonly xml = new Map<string, string>();
  readonly newDiskContent: HypervisorDriver['newDiskContent'];

  constructor(
    private readonly inner: HypervisorDriver,
    private readonly hooks: HookRunner,
  ) {
    this.newDiskContent = inner.newDiskContent?.bind(inner);
  }

  /** The hooks' environment: the VM's custom properties, and its id (VDSM's `vmId`). */
  private env(vmId: string): Record<string, string> {
    return { ...(this.specs.get(vmId)?.customProperties ?? {}), vmId };
  }

  async capabilities(): ReturnType<HypervisorDriver['capabilities']> {
    return { ...(await this.inner.capabilities()), hooks: await this.hooks.installed() };
  }

  listDomains(): ReturnType<HypervisorDriver['listDomains']> {
    return this.inner.listDomains();
  }

  async kill(vmId: string, message: string): Promise<void> {
    await (this.inner.kill ? this.inner.kill(vmId, message) : this.inner.destroy(vmId));
  }

  describe(spec: DomainSpec): string {
    return this.inner.describe(spec);
  }

  savedDescription(spec: DomainSpec): Promise<string> {
    return this.inner.savedDescription ? this.inner.savedDescription(spec) : Promise.resolve(this.inner.describe(spec));
  }

  currentDescription(vmId: string): Promise<string> {
    return this.inner.currentDescription(vmId);
  }

  async start(spec: DomainSpec, opts: Parameters<HypervisorDriver['start']>[1] = {}): Promise<string | undefined> {
    const env = { ...(spec.customProperties ?? {}), vmId: spec.id };
    if (opts.incomingMigration) {
      const xml = await this.hooks.before('before_vm_migrate_destination', opts.domainXml ?? this.inner.describe(spec), env);
      await this.inner.start(spec, { ...opts, domainXml: xml });
      this.remember(spec, xml);
      return xml;
    }
    if (opts.restoreState) {
      const saved = await this.savedDescription(spec);
      const xml = await this.hooks.before('before_vm_dehibernate', saved, env);
      await this.inner.start(spec, { ...opts, ...(xml === saved ? {} : { domainXml: xml }) });
      this.remember(spec, xml);
      void this.hooks.after('after_vm_dehibernate', xml, env);
      return;
    }
    const xml = await this.hooks.before('before_vm_start', this.inner.describe(spec), env);
    await this.inner.start(spec, { ...opts, domainXml: xml });
    this.remember(spec, xml);
    void this.hooks.after('after_vm_start', xml, env);
  }

  private remember(spec: DomainSpec, xml: string) {
    this.specs.set(spec.id, spec);
    this.xml.set(spec.id, xml);
  }

  destroy(vmId: string): Promise<void> {
    return this.inner.destroy(vmId);
  }

  shutdown(vmId: string): Promise<void> {
    return this.inner.shutdown(vmId);
  }

  pause(vmId: string): Promise<void> {
    return this.inner.pause(vmId);
  }

  resume(vmId: string): Promise<void> {
    return this.inner.resume(vmId);
  }

  describeForMigration(vmId: string): Promise<string> {
    return this.inner.currentDescription(vmId).then((xml) => this.hooks.before('before_vm_migrate_source', xml, this.env(vmId)));
  }

  /** `domainXml`: what the destination accepted; passed on only when the hooks changed the running domain's XML. */
  async migrate(vmId: string, destination: string, peer?: { uri: string; address: string }, domainXml?: string): Promise<void> {
    const changed = domainXml !== undefined && domainXml !== (await this.inner.currentDescription(vmId));
    await this.inner.migrate(vmId, destination, peer, changed ? domainXml : undefined);
  }

  cancelMigration(vmId: string): Promise<void> {
    return this.inner.cancelMigration(vmId);
  }

  reboot(vmId: string): Promise<void> {
    return this.inner.reboot(vmId);
  }

  async hibernate(vmId: string): Promise<void> {
    const env = this.env(vmId);
    const xml = await this.hooks.before('before_vm_hibernate', await this.inner.currentDescription(vmId), env);
    await this.inner.hibernate(vmId);
    void this.hooks.after('after_vm_hibernate', xml, env);
  }

  snapshot(
    vmId: string,
    description: string,
    files: { disks: { source: string; overlay: string }[]; memory: string | null },
  ): Promise<void> {
    return this.inner.snapshot(vmId, description, files);
  }

  blockCommit(vmId: string, merge: { top: string; base: string; active: boolean }): Promise<void> {
    return this.inner.blockCommit(vmId, merge);
  }

  blockCopy(vmId: string, copy: { source: string; dest: string; format: 'qcow2' | 'raw'; shallow: boolean }): Promise<void> {
    return this.inner.blockCopy(vmId, copy);
  }

  diskSources(vmId: string): Promise<{ target: string; source: string; copying: boolean }[]> {
    return this.inner.diskSources(vmId);
  }

  async hotplugNic(vmId: string, nic: NicSpec): Promise<void> {
    const env = this.env(vmId);
    const described = interfaceXml(nic);
    const xml = await this.hooks.before('before_nic_hotplug', described, env);
    await this.inner.hotplugNic(vmId, nic, xml === described ? undefined : xml);
    this.setNics(vmId, (nics) => [...nics, nic]);
    void this.hooks.after('after_nic_hotplug', xml, env);
  }

  async hotunplugNic(vmId: string, mac: string): Promise<void> {
    const env = this.env(vmId);
    const known = this.specs.get(vmId)?.nics?.find((n) => n.mac.toLowerCase() === mac.toLowerCase());
    const xml = await this.hooks.before('before_nic_hotunplug', interfaceXml(known ?? { mac, model: 'VIRTIO', bridge: null }), env);
    await this.inner.hotunplugNic(vmId, mac);
    this.setNics(vmId, (nics) => nics.filter((n) => n !== known));
    void this.hooks.after('after_nic_hotunplug', xml, env);
  }

  /** Keeps the definition the hooks' environment and XML come from in step with NICs plugged or unplugged live. */
  private setNics(vmId: string, change: (nics: NicSpec[]) => NicSpec[]) {
    const spec = this.specs.get(vmId);
    if (spec) this.specs.set(vmId, { ...spec, nics: change(spec.nics ?? []) });
  }

  updateNic(vmId: string, nic: NicSpec): Promise<void> {
    return this.inner.updateNic(vmId, nic);
  }

  changeCd(vmId: string, medium: CdromMedium | null): Promise<void> {
    return this.inner.changeCd(vmId, medium);
  }

  setTicket(vmId: string, password: string, validSeconds: number): Promise<void> {
    return this.inner.setTicket(vmId, password, validSeconds);
  }

  setupNetworks(layout: Parameters<HypervisorDriver['setupNetworks']>[0]): Promise<void> {
    return this.inner.setupNetworks(layout);
  }

  setBalloon(vmId: string, memoryMb: number): Promise<void> {
    return this.inner.setBalloon(vmId, memoryMb);
  }

  async setKsm(running: boolean): Promise<boolean> {
    return this.inner.setKsm ? this.inner.setKsm(running) : false;
  }

  /** The driver's stats; a domain reported Down (it stopped, whatever the reason) runs after_vm_destroy. */
  async stats(): Promise<DriverStats> {
    const stats = await this.inner.stats();
    for (const d of stats.domains) {
      if (d.state === 'DOWN' && d.exitReason) {
        const env = this.env(d.id);
        const xml = this.xml.get(d.id) ?? '';
        this.specs.delete(d.id);
        this.xml.delete(d.id);
        void this.hooks.after('after_vm_destroy', xml, env);
      } else if (!this.xml.has(d.id) && d.state === 'UP') {
        // Found running (an agent restart): its XML, for the hooks of its end.
        this.xml.set(d.id, '');
        void this.inner.currentDescription(d.id).then(
          (x) => this.xml.set(d.id, x),
          () => {},
        );
      }
    }
    return stats;
  }

  onEvent(listener: (event: DomainEvent) => void): () => void {
    return this.inner.onEvent(listener);
  }

  restart(): void {
    this.inner.restart?.();
  }
}
