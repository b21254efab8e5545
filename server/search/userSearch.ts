// What the users table's search keys mean (syntax: searchQuery.ts). A name is the user name or
// the display name, so a bare word finds either.
import type { Prisma } from '../../generated/prisma/client.ts';
import { booleanValue, named, textMatches } from './searchPatterns.ts';
import type { SearchTable } from './searchWhere.ts';

const text = (field: 'userName' | 'displayName' | 'email' | 'domain', v: string): Prisma.UserWhereInput => ({
  AND: textMatches(v).map((m) => ({ [field]: m })),
});

export const USER_SEARCH: SearchTable<Prisma.UserWhereInput> = {
  noun: 'users',
  keys: {
    name: (v) => ({ OR: [text('userName', v), text('displayName', v)] }),
    email: (v) => text('email', v),
    profile: (v) => text('domain', v),
    enabled: (v, key) => ({ active: booleanValue(key, v) }),
    group: (v) => ({ groups: { some: { group: named(v) } } }),
  },
};
