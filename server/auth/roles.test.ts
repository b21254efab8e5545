import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES } from './roles.ts';

describe('built-in roles', () => {
  it('name each action group once', () => {
    for (const [name, role] of Object.entries(BUILT_IN_ROLES))
      expect({ name, groups: role.actionGroups }).toEqual({ name, groups: [...new Set(role.actionGroups)] });
  });
});
