// The whole schema: every type file and resolver file, imported for their side effects.
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './types/scalars.ts';
import './types/errors.ts';
import './types/enums.ts';
import './types/dataCenter.ts';
import './types/cluster.ts';
import './types/host.ts';
import './types/storage.ts';
import './types/network.ts';
import './types/vm.ts';
import './types/audit.ts';
import './types/monitoring.ts';
import './types/statsHistory.ts';
import '../resolvers/index.ts';

// Everything needs a session, except what says otherwise (log-in, the agents' own fields).
builder.queryType({ authScopes: { loggedIn: true } });
builder.mutationType({ authScopes: { loggedIn: true } });

export const schema = lexicographicSortSchema(builder.toSchema());
