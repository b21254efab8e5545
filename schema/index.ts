// The whole schema: every type file and resolver file, imported for their side effects.
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import { assertNodeVisibility } from './nodeVisibility.ts';
import './types/scalars.ts';
import './types/errors.ts';
import './types/enums.ts';
import './types/dataCenter.ts';
import './types/cluster.ts';
import './types/clusterNetwork.ts';
import './types/host.ts';
import './types/hostNic.ts';
import './types/hostNetworkAttachment.ts';
import './types/hostStatistics.ts';
import './types/storageDomain.ts';
import './types/disk.ts';
import './types/diskAttachment.ts';
import './types/network.ts';
import './types/vm.ts';
import './types/vmNic.ts';
import './types/vmStatistics.ts';
import './types/snapshot.ts';
import './types/template.ts';
import './types/templateNic.ts';
import './types/event.ts';
import './types/job.ts';
import './types/step.ts';
import './types/user.ts';
import './types/group.ts';
import './types/groupMembership.ts';
import './types/role.ts';
import './types/permission.ts';
import './types/agentSession.ts';
import './types/hostAgentToken.ts';
import './types/hostStatsSample.ts';
import './types/vmStatsSample.ts';
import './types/hostStatsPoint.ts';
import './types/vmStatsPoint.ts';
import './types/systemStatsPoint.ts';
import './types/apiToken.ts';
import '../resolvers/index.ts';

// Everything needs a session, except what says otherwise (log-in, the agents' own fields and agentCommands).
builder.queryType({ authScopes: { loggedIn: true } });
builder.mutationType({ authScopes: { loggedIn: true } });
builder.subscriptionType({ authScopes: { loggedIn: true } });

export const schema = lexicographicSortSchema(builder.toSchema());
assertNodeVisibility(schema);
