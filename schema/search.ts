// A table's `filter.search` as a condition; what is wrong with it is bad input naming the field.
import { InputError } from '../server/errors.ts';
import { SearchError } from '../server/search/searchQuery.ts';
import { searchWhere, type SearchTable } from '../server/search/searchWhere.ts';

export function searched<W extends object>(table: SearchTable<W>, text: string | null | undefined): W | undefined {
  if (!text) return undefined;
  try {
    return searchWhere(table, text);
  } catch (e) {
    if (e instanceof SearchError) throw new InputError([{ path: 'filter.search', message: e.message }]);
    throw e;
  }
}
