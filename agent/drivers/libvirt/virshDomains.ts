// The little of libvirt a host's lease keeper needs, without the agent's driver: which domains run
// (libvirt lists active ones only) and destroying one by its UUID (the VM's id).
import type { DomainState } from '../../../protocol/messages.ts';
import type { LeaseDriver } from '../../leases/vmLeases.ts';
import { Virsh } from './virsh.ts';
import { parseDomainList } from './virshOutput.ts';

export class VirshDomains implements LeaseDriver {
  private readonly virsh: Virsh;

  constructor(uri: string) {
    this.virsh = new Virsh(uri, 15_000);
  }

  async listDomains(): Promise<{ id: string; name: string; state: DomainState }[]> {
    return parseDomainList(await this.virsh.run(['list', '--uuid', '--name'])).map((d) => ({ ...d, state: 'UP' as const }));
  }

  async destroy(vmId: string): Promise<void> {
    await this.virsh.run(['destroy', vmId]);
  }
}
