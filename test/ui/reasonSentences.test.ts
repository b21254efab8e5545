// Reasons as the portals show them: a message starting with a plain word gets its capital, one
// starting with a name (a user, a VM, a fence agent) keeps the name as it is.
import { describe, expect, it } from 'vitest';
import { reasonSentences, sentence } from '../../ui/src/utils/reasons.ts';

describe('reason sentences', () => {
  it('capitalises a first word, never a name', () => {
    expect(sentence('host h1 lacks network x.')).toBe('Host h1 lacks network x.');
    expect(sentence('admin@internal cannot be removed.')).toBe('admin@internal cannot be removed.');
    expect(sentence('web01 is locked by Migrate.')).toBe('web01 is locked by Migrate.');
    expect(sentence('fence_ipmilan off failed (exit 1).')).toBe('fence_ipmilan off failed (exit 1).');
    expect(sentence('vm-public is missing.')).toBe('vm-public is missing.');
  });

  it('joins distinct messages once each', () => {
    const reasons = [
      { message: 'host h1 is down.' },
      { message: 'host h1 is down.' },
      { message: 'alice@internal changes its password in its directory.' },
    ];
    expect(reasonSentences(reasons)).toBe('Host h1 is down. alice@internal changes its password in its directory.');
  });
});
