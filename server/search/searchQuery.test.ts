import { describe, expect, it } from 'vitest';
import { parseSearch, SearchError } from './searchQuery.ts';
import { enumMatches, textMatches } from './searchPatterns.ts';

describe('parseSearch', () => {
  it('splits terms at spaces, values at commas, and keeps quoted spaces and commas', () => {
    expect(parseSearch('  Status=up,paused  name="web 01, old" tag!=db ')).toEqual([
      { key: 'status', negated: false, values: ['up', 'paused'] },
      { key: 'name', negated: false, values: ['web 01, old'] },
      { key: 'tag', negated: true, values: ['db'] },
    ]);
  });

  it('reads a bare word as a part of the name, and a bare pattern as the pattern', () => {
    expect(parseSearch('web')).toEqual([{ key: 'name', negated: false, values: ['*web*'] }]);
    expect(parseSearch('web*')).toEqual([{ key: 'name', negated: false, values: ['web*'] }]);
    expect(parseSearch('')).toEqual([]);
  });

  it('says what is wrong with a broken search', () => {
    expect(() => parseSearch('name="web')).toThrow(new SearchError('A double quote is not closed.'));
    expect(() => parseSearch('status=')).toThrow(new SearchError('status= needs a value (e.g. status=web*).'));
    expect(() => parseSearch('status=up,')).toThrow(SearchError);
    expect(() => parseSearch('=up')).toThrow(new SearchError('"=up" is not a search term: write key=value (e.g. status=up).'));
  });
});

describe('search patterns', () => {
  it('turns * patterns into LIKE filters with the other wildcards escaped', () => {
    expect(textMatches('web_1')).toEqual([{ equals: 'web\\_1', mode: 'insensitive' }]);
    expect(textMatches('web*')).toEqual([{ startsWith: 'web', mode: 'insensitive' }]);
    expect(textMatches('*%')).toEqual([{ endsWith: '\\%', mode: 'insensitive' }]);
    expect(textMatches('*a*b*')).toEqual([{ contains: 'a%b', mode: 'insensitive' }]);
    expect(textMatches('*')).toEqual([]);
  });

  it('matches enum values as the badges write them', () => {
    const all = ['UP', 'DOWN', 'POWERING_UP', 'NOT_RESPONDING'] as const;
    expect(enumMatches('status', 'Not-Responding', all)).toEqual(['NOT_RESPONDING']);
    expect(enumMatches('status', '*up', all)).toEqual(['UP', 'POWERING_UP']);
    expect(() => enumMatches('status', 'sleepy', all)).toThrow(
      'status=sleepy matches no status; one of up, down, powering-up, not-responding.',
    );
  });
});
