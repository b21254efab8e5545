// Search values as database conditions: a `*` pattern as a case-insensitive LIKE (through Prisma's
// startsWith/endsWith/contains, which pass `%` on), and a pattern against a list of enum values.
import { SearchError } from './searchQuery.ts';

type TextFilter = { equals?: string; startsWith?: string; endsWith?: string; contains?: string; mode: 'insensitive' };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/**
 * A name pattern as one or two Prisma string filters (all must hold). `web*`, `*web`, `*web*` and
 * `web` are exact; a `*` inside (`web*01`) is the text starting with `web%01` and ending with it.
 */
export function textMatches(pattern: string): TextFilter[] {
  // Prisma compares `equals` without case through ILIKE too, so its wildcards are escaped as well.
  if (!pattern.includes('*')) return [{ equals: escapeLike(pattern), mode: 'insensitive' }];
  const inner = pattern.replace(/^\*+|\*+$/g, '');
  if (!inner) return [];
  const like = inner.split(/\*+/).map(escapeLike).join('%');
  const open = pattern.startsWith('*');
  const close = pattern.endsWith('*');
  if (open && close) return [{ contains: like, mode: 'insensitive' }];
  if (close) return [{ startsWith: like, mode: 'insensitive' }];
  if (open) return [{ endsWith: like, mode: 'insensitive' }];
  return [
    { startsWith: like, mode: 'insensitive' },
    { endsWith: like, mode: 'insensitive' },
  ];
}

/** Objects whose name matches a pattern (a VM's cluster, a tag…). */
export const named = (pattern: string) => ({ AND: textMatches(pattern).map((m) => ({ name: m })) });

/** The enum values a pattern names (`up`, `powering*`, `not-responsive`), or a SearchError listing the words. */
export function enumMatches<E extends string>(key: string, pattern: string, all: readonly E[]): E[] {
  const norm = (s: string) => s.toLowerCase().replace(/[\s-]/g, '_');
  const re = new RegExp(
    `^${norm(pattern)
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  const hit = all.filter((v) => re.test(norm(v)));
  if (!hit.length)
    throw new SearchError(`${key}=${pattern} matches no ${key}; one of ${all.map((v) => v.toLowerCase().replace(/_/g, '-')).join(', ')}.`);
  return hit;
}

/** A yes/no value. */
export function booleanValue(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (['true', 'yes', '1'].includes(v)) return true;
  if (['false', 'no', '0'].includes(v)) return false;
  throw new SearchError(`${key}=${value}: write ${key}=true or ${key}=false.`);
}
