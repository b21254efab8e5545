// The tables' search syntax (oVirt-like), parsed once for every table:
//   status=up cluster=prod name=web* tag=db,web host!=h1 "web 01"
// Terms are separated by spaces and all must hold; a term is `key=values` or `key!=values`, the
// values separated by commas (any of them), each a pattern where `*` is any text, compared without
// case; double quotes keep spaces and commas in a value. A bare word searches names (`web` is
// `name=*web*`). Which keys a table knows, and what their values mean, is the table's
// (vmSearch.ts, hostSearch.ts).

/** One condition of a search: the key, lower-cased, and its values (any may match). */
export interface SearchTerm {
  key: string;
  negated: boolean;
  values: string[];
}

/** What is wrong with a search, in words for its author. */
export class SearchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchError';
  }
}

/** Splits text into terms at unquoted spaces, keeping the quotes for the value splitter. */
function words(text: string): string[] {
  const out: string[] = [];
  let word = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (word) out.push(word);
      word = '';
    } else word += ch;
  }
  if (quoted) throw new SearchError('A double quote is not closed.');
  if (word) out.push(word);
  return out;
}

/** Splits values at unquoted commas and removes the quotes. */
function values(text: string, key: string): string[] {
  const out: string[] = [];
  let value = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(value);
      value = '';
    } else value += ch;
  }
  out.push(value);
  if (out.some((v) => v === '')) throw new SearchError(`${key}= needs a value (e.g. ${key}=web*).`);
  return out;
}

/** Parses a search into its terms; a syntax error is a SearchError saying where. */
export function parseSearch(text: string): SearchTerm[] {
  return words(text).map((word) => {
    const m = /^([A-Za-z_]+)(!=|=)(.*)$/s.exec(word);
    if (!m) {
      if (/^[^"]*[=!]/.test(word)) throw new SearchError(`"${word}" is not a search term: write key=value (e.g. status=up).`);
      return { key: 'name', negated: false, values: values(word, 'name').map((v) => (v.includes('*') ? v : `*${v}*`)) };
    }
    const key = m[1]!.toLowerCase();
    return { key, negated: m[2] === '!=', values: values(m[3]!, key) };
  });
}
