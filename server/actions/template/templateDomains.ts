// Where template disks, and the disks of VMs cloned from templates, may go.
import type { Tx } from '../../db.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';

/** Target domains are active data domains of the data center. */
export async function domainsInDataCenter(tx: Tx, ids: string[], dataCenterId: string): Promise<(Reason | null)[]> {
  const domains = await tx.storageDomain.findMany({ where: { id: { in: ids } } });
  return ids.map((sdId) => {
    const sd = domains.find((d) => d.id === sdId);
    return (
      refuseWhen(!sd, 'STORAGE_DOMAIN_NOT_FOUND', `Storage Domain ${sdId} does not exist.`) ??
      refuseWhen(
        sd!.dataCenterId !== dataCenterId || sd!.domainType !== 'DATA',
        'STORAGE_DOMAIN_NOT_USABLE',
        `Storage Domain ${sd!.name} is not a data domain of the data center.`,
      )
    );
  });
}
