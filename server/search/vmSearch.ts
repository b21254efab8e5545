// What the VMs table's search keys mean (syntax: searchQuery.ts).
import type { Prisma } from '../../generated/prisma/client.ts';
import { VmStatus } from '../../generated/prisma/enums.ts';
import { booleanValue, enumMatches, named, textMatches } from './searchPatterns.ts';
import type { SearchTable } from './searchWhere.ts';

export const VM_SEARCH: SearchTable<Prisma.VmWhereInput> = {
  noun: 'VMs',
  keys: {
    name: (v) => named(v),
    description: (v) => ({ AND: textMatches(v).map((m) => ({ description: m })) }),
    status: (v, key) => ({ status: { in: enumMatches(key, v, Object.values(VmStatus)) } }),
    cluster: (v) => ({ cluster: named(v) }),
    datacenter: (v) => ({ cluster: { dataCenter: named(v) } }),
    host: (v) => ({ host: named(v) }),
    template: (v) => ({ template: named(v) }),
    tag: (v) => ({ tags: { some: { tag: named(v) } } }),
    os: (v) => ({ AND: textMatches(v).map((m) => ({ osType: m })) }),
    ha: (v, key) => ({ highlyAvailable: booleanValue(key, v) }),
  },
};
