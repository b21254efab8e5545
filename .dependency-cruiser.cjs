// Layout rules checked by `npm run lint` (and so by .ci/run): which folder may import what.
// Type-only imports count too: a type import still ties one folder's code to another's.
const GRAPHQL_PACKAGES = '^node_modules/(graphql|graphql-yoga|graphql-ws|@pothos/[^/]+|@escape\\.tech/graphql-armor|@envelop/[^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'server-without-graphql',
      comment:
        'server/ is the engine, free of GraphQL: only server/http/ serves it. Pub/sub goes through @graphql-yoga/subscription, ' +
        'which is allowed; the schema (schema/, resolvers/) calls the engine, never the other way round.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/http/' },
      to: { path: [GRAPHQL_PACKAGES, '^(schema|resolvers)/'] },
    },
    {
      name: 'agent-only-protocol',
      comment: 'The host agent runs on the hosts: it shares only protocol/ with the engine (and uses npm packages).',
      severity: 'error',
      from: { path: '^agent/' },
      to: { dependencyTypes: ['local'], pathNot: '^(agent|protocol)/' },
    },
    {
      name: 'protocol-stands-alone',
      comment: 'protocol/ holds the messages agent and engine share: it imports neither of them.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { dependencyTypes: ['local'], pathNot: '^protocol/' },
    },
    {
      name: 'server-not-agent',
      comment: 'The engine asks hosts to do host work through the agent protocol; it does not run agent code itself.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^agent/' },
    },
    {
      name: 'clients-not-server',
      comment:
        'The portals, the SDK and the command line talk to the engine over GraphQL only: ui/, sdk/ and cli/ import nothing of the server side.',
      severity: 'error',
      from: { path: '^(ui|sdk|cli)/' },
      to: { path: '^(server|schema|resolvers|agent|protocol|prisma|generated|demo)/' },
    },
    {
      name: 'no-test-code-in-product',
      comment: 'Product code does not import tests, benchmarks or test support.',
      severity: 'error',
      from: { path: '^(server|agent|protocol|schema|resolvers|ui|demo|prisma)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(test|bench)/|\\.test\\.ts$' },
    },
    {
      name: 'no-dev-dependencies-in-product',
      comment: 'What the engine and the agent import at run time must be a dependency, not a devDependency.',
      severity: 'error',
      from: { path: '^(server|agent|protocol|schema|resolvers|demo)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: a cycle makes load order matter and hides which module owns what.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(generated|ui/src/gql|sdk/src/generated|ui/dist|data|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.vue', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
