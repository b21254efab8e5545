// A VM's lease (oVirt's VM lease for highly available VMs) lives on an active data domain of the
// VM's data center; it changes only while the VM is Down (a running VM keeps the lease it took).
import type { Tx } from '../db.ts';
import { nodeId } from './params.ts';
import { refuseWhen } from './reasons.ts';
import type { Reason } from '../errors.ts';

export const leaseStorageDomainParam = nodeId('StorageDomain', 'leaseStorageDomain')
  .nullish()
  .describe(
    'Give the VM a lease on this data domain (null: none): restarted elsewhere once the lease has expired when its host is lost, without fencing.',
  );

export async function leaseDomainUsable(tx: Tx, dataCenterId: string, domainId: string | null | undefined): Promise<Reason | null> {
  if (!domainId) return null;
  const sd = await tx.storageDomain.findUnique({ where: { id: domainId } });
  if (!sd) return { code: 'STORAGE_DOMAIN_NOT_FOUND', message: `Storage Domain ${domainId} does not exist.` };
  return (
    refuseWhen(
      sd.dataCenterId !== dataCenterId || sd.domainType !== 'DATA',
      'STORAGE_DOMAIN_NOT_USABLE',
      `Storage Domain ${sd.name} is not a data domain of the VM's data center: it cannot hold the VM's lease.`,
    ) ?? refuseWhen(sd.status !== 'ACTIVE', 'STORAGE_DOMAIN_NOT_ACTIVE', `Storage Domain ${sd.name} is ${sd.status}.`)
  );
}
