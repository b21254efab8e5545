import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // Node loads graphql's CommonJS build for the libraries; make the project's own imports use
  // the same copy (Vite would pick index.mjs), or graphql sees two realms.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    include: ['test/**/*.test.ts', 'server/**/*.test.ts', 'agent/**/*.test.ts', 'protocol/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A CI machine under load takes seconds where an idle one takes milliseconds; a poll that
    // waits for what a user would see gives it 10 s before it fails.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
