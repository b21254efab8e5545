/**
 * Resources promised to VMs between the scheduling decision and the moment their host reports
 * them running (oVirt's PendingResourceManager). Without them two starts deciding at the same
 * time would both see the same free memory and could overbook a host.
 */
export interface PendingVm {
  vmId: string;
  hostId: string;
  memoryMb: number;
  /** A migration's destination: the VM is still counted on its source in the database. */
  incoming: boolean;
}

export class PendingResources {
  private readonly byKey = new Map<string, PendingVm>();

  add(p: PendingVm): void {
    this.byKey.set(`${p.vmId}|${p.hostId}`, p);
  }

  remove(vmId: string, hostId: string): void {
    this.byKey.delete(`${vmId}|${hostId}`);
  }

  /** Forgets every promise made for a VM. */
  removeVm(vmId: string): void {
    for (const [k, p] of this.byKey) if (p.vmId === vmId) this.byKey.delete(k);
  }

  list(): PendingVm[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }
}
