// What the storage domains table's search keys mean (syntax: searchQuery.ts).
import type { Prisma } from '../../generated/prisma/client.ts';
import { StorageDomainStatus, StorageDomainType, StorageType } from '../../generated/prisma/enums.ts';
import { booleanValue, enumMatches, named, textMatches } from './searchPatterns.ts';
import type { SearchTable } from './searchWhere.ts';

export const STORAGE_DOMAIN_SEARCH: SearchTable<Prisma.StorageDomainWhereInput> = {
  noun: 'storage domains',
  keys: {
    name: (v) => named(v),
    description: (v) => ({ AND: textMatches(v).map((m) => ({ description: m })) }),
    status: (v, key) => ({ status: { in: enumMatches(key, v, Object.values(StorageDomainStatus)) } }),
    type: (v, key) => ({ domainType: { in: enumMatches(key, v, Object.values(StorageDomainType)) } }),
    storage: (v, key) => ({ storageType: { in: enumMatches(key, v, Object.values(StorageType)) } }),
    datacenter: (v) => ({ dataCenter: named(v) }),
    master: (v, key) => ({ master: booleanValue(key, v) }),
  },
};
