// What the templates table's search keys mean (syntax: searchQuery.ts).
import type { Prisma } from '../../generated/prisma/client.ts';
import { ImageStatus } from '../../generated/prisma/enums.ts';
import { enumMatches, named, textMatches } from './searchPatterns.ts';
import type { SearchTable } from './searchWhere.ts';

export const TEMPLATE_SEARCH: SearchTable<Prisma.TemplateWhereInput> = {
  noun: 'templates',
  keys: {
    name: (v) => named(v),
    description: (v) => ({ AND: textMatches(v).map((m) => ({ description: m })) }),
    status: (v, key) => ({ status: { in: enumMatches(key, v, Object.values(ImageStatus)) } }),
    cluster: (v) => ({ cluster: named(v) }),
    datacenter: (v) => ({ cluster: { dataCenter: named(v) } }),
    os: (v) => ({ AND: textMatches(v).map((m) => ({ osType: m })) }),
  },
};
