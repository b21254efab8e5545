/** Prisma orderBy for a sort field and direction, with the id as tiebreak so cursors are stable. */
export function orderBy<F extends string>(field: F | null | undefined, direction: 'ASC' | 'DESC' | null | undefined, fallback: F) {
  const dir = direction === 'DESC' ? 'desc' : 'asc';
  return [{ [field ?? fallback]: dir }, { id: dir }] as { [K in F | 'id']?: 'asc' | 'desc' }[];
}

/** Case-insensitive substring match, or no condition. The text is literal: LIKE's % and _ are escaped. */
export function contains(text: string | null | undefined) {
  return text ? { contains: text.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const } : undefined;
}

/** Both conditions (either may be absent). */
export function and<W extends object>(a: W | undefined, b: W | undefined): W {
  return (a && b ? { AND: [a, b] } : (a ?? b ?? {})) as W;
}
