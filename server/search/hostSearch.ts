// What the hosts table's search keys mean (syntax: searchQuery.ts).
import type { Prisma } from '../../generated/prisma/client.ts';
import { HostStatus } from '../../generated/prisma/enums.ts';
import { enumMatches, named, textMatches } from './searchPatterns.ts';
import type { SearchTable } from './searchWhere.ts';

export const HOST_SEARCH: SearchTable<Prisma.HostWhereInput> = {
  noun: 'hosts',
  keys: {
    name: (v) => named(v),
    address: (v) => ({ AND: textMatches(v).map((m) => ({ address: m })) }),
    status: (v, key) => ({ status: { in: enumMatches(key, v, Object.values(HostStatus)) } }),
    cluster: (v) => ({ cluster: named(v) }),
    datacenter: (v) => ({ cluster: { dataCenter: named(v) } }),
    tag: (v) => ({ tags: { some: { tag: named(v) } } }),
  },
};
