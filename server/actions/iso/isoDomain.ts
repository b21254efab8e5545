// What an ISO domain must be to take or give ISO images: of type ISO, reached by the hosts (a
// directory on them or an NFS export they mount) and active in a data center.
import type { Reason } from '../../errors.ts';
import { refuseWhen } from '../../validators/reasons.ts';

export function isoDomainProblems(sd: {
  name: string;
  domainType: string;
  storageType: string;
  reachedByHosts: boolean;
  status: string;
  dataCenterId: string | null;
}): (Reason | null)[] {
  return [
    refuseWhen(
      sd.domainType !== 'ISO',
      'STORAGE_DOMAIN_NOT_ISO',
      `Storage Domain ${sd.name} is a ${sd.domainType} domain; ISO images go to an ISO domain.`,
    ),
    refuseWhen(
      !sd.reachedByHosts,
      'STORAGE_DOMAIN_NOT_REACHED',
      `Storage Domain ${sd.name} is a ${sd.storageType} label the hosts do not reach; ISO images go to a domain the hosts reach.`,
    ),
    refuseWhen(
      sd.status !== 'ACTIVE' || !sd.dataCenterId,
      'STORAGE_DOMAIN_NOT_ACTIVE',
      `Storage Domain ${sd.name} is ${sd.status.toLowerCase()}, not active in a data center.`,
    ),
  ];
}
