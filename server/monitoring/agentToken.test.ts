import { describe, expect, it } from 'vitest';
import { agentTokenMatches, newAgentToken } from './agentToken.ts';

describe('agent tokens', () => {
  it('never start with "-", which the agent command line would take for an option', () => {
    for (let i = 0; i < 500; i++) expect(newAgentToken().token).toMatch(/^vireo_agent_[A-Za-z0-9_-]{43}$/);
  });

  it('match only their own hash', () => {
    const a = newAgentToken();
    const b = newAgentToken();
    expect(agentTokenMatches(a.token, a.hash)).toBe(true);
    expect(agentTokenMatches(a.token, b.hash)).toBe(false);
    expect(agentTokenMatches(a.token, null)).toBe(false);
  });
});
