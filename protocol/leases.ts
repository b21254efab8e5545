// VM leases (sanlock's resource leases, as oVirt uses them for highly available VMs): a file per
// VM on a storage domain, written by the host running the VM and renewed every quarter of the
// lease's timeout. A lease not renewed for its timeout has expired: its holder has stopped the VM
// (it does so itself once it has failed to renew for half the timeout), so the VM may run elsewhere.
import { z } from 'zod';

/** Where a VM's lease lives and how long it lasts without renewal; part of the VM's DomainSpec. */
export const VmLease = z.object({
  domainId: z.uuid(),
  /** The domain's path as added (the host resolves its directory as for volumes). */
  domainPath: z.string().max(4096),
  timeoutMs: z.number().int().min(400).max(600_000),
});
export type VmLease = z.infer<typeof VmLease>;

/** Asks a host how the leases of these VMs on one domain stand now (it watches them for a renewal interval). */
export const LeaseStatusCommand = z.object({
  type: z.literal('leaseStatus'),
  domainId: z.uuid(),
  domainPath: z.string().max(4096),
  vmIds: z.array(z.uuid()).min(1).max(10_000),
});

/**
 * FREE: released by its holder. HELD: renewed within its timeout, or seen renewed while watched.
 * EXPIRED: not renewed for its timeout, nor while watched. MISSING: the domain has no such lease
 * (nothing proves the VM stopped: never taken as free by the engine).
 */
export const LeaseState = z.enum(['FREE', 'HELD', 'EXPIRED', 'MISSING']);
export type LeaseState = z.infer<typeof LeaseState>;

export const LeaseStatusResult = z.object({
  leases: z.array(
    z.object({
      vmId: z.uuid(),
      state: LeaseState,
      /** The host name that wrote it last. */
      holder: z.string().nullable(),
      /** How long ago (ms, by the answering host's clock) it was last renewed. */
      sinceRenewalMs: z.number().nullable(),
    }),
  ),
});
export type LeaseStatusResult = z.infer<typeof LeaseStatusResult>;
