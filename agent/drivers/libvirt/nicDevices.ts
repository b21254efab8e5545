// A running domain's NICs changed live, as VDSM's hotplugNic, hotunplugNic and updateDevice do
// through libvirt: `virsh attach-device --live` of an <interface>, `detach-interface --live` by
// MAC (then waiting until the guest has released it: libvirt returns once it asked), and
// `update-device --live` for another bridge or link state.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LibvirtError, type Virsh } from './virsh.ts';

/** One row of `virsh domiflist`. */
export interface LiveNic {
  type: string;
  source: string;
  model: string;
  mac: string;
}

/** `virsh domiflist DOMAIN`: Interface, Type, Source, Model and MAC columns under a dashed line. */
export function parseDomiflist(text: string): LiveNic[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^-{5,}/.test(l.trim()));
  return lines
    .slice(start + 1)
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length >= 5)
    .map(([, type, source, model, mac]) => ({ type: type!, source: source!, model: model!, mac: mac!.toLowerCase() }));
}

export class NicDevices {
  constructor(
    private readonly virsh: Virsh,
    private readonly stateDir: string,
  ) {}

  async list(domain: string): Promise<LiveNic[]> {
    return parseDomiflist(await this.virsh.run(['domiflist', domain]));
  }

  async attach(domain: string, xml: string): Promise<void> {
    await this.withFile(domain, 'nic', xml, (file) => this.virsh.run(['attach-device', domain, file, '--live']));
  }

  async update(domain: string, xml: string): Promise<void> {
    await this.withFile(domain, 'nic-update', xml, (file) => this.virsh.run(['update-device', domain, file, '--live']));
  }

  /** Asks for the NIC's removal and waits up to `waitMs` for the guest to let it go (VDSM's _waitForDeviceRemoval). */
  async detach(domain: string, mac: string, waitMs = 15_000): Promise<void> {
    const nic = (await this.list(domain)).find((n) => n.mac === mac.toLowerCase());
    if (!nic) throw new LibvirtError(`${domain} has no NIC with MAC ${mac}`);
    await this.virsh.run(['detach-interface', domain, nic.type, '--mac', nic.mac, '--live']);
    const until = Date.now() + waitMs;
    while ((await this.list(domain)).some((n) => n.mac === nic.mac)) {
      if (Date.now() > until)
        throw new LibvirtError(`the guest of ${domain} did not release NIC ${nic.mac} within ${Math.round(waitMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async withFile(domain: string, kind: string, xml: string, use: (file: string) => Promise<unknown>): Promise<void> {
    await mkdir(this.stateDir, { recursive: true });
    const file = path.join(this.stateDir, `${domain}.${kind}.xml`);
    await writeFile(file, xml);
    try {
      await use(file);
    } finally {
      await rm(file, { force: true });
    }
  }
}
