// Recent history of the stored samples, drawn before the live samples of graphql/live.ts.
import { graphql } from '../gql';

export const HostStatsHistoryQuery = graphql(`
  query HostStatsHistory($id: ID!, $minutes: Int!) {
    node(id: $id) { __typename ... on Host { id statsHistory(minutes: $minutes) { sampledAt cpuPercent memUsedMb memFreeMb netRxBps netTxBps } } }
  }
`);

export const VmStatsHistoryQuery = graphql(`
  query VmStatsHistory($id: ID!, $minutes: Int!) {
    node(id: $id) { __typename ... on Vm { id statsHistory(minutes: $minutes) { sampledAt cpuPercent memUsedMb netRxBps netTxBps } } }
  }
`);

export const SystemStatsHistoryQuery = graphql(`
  query SystemStatsHistory($minutes: Int!) {
    systemStatsHistory(minutes: $minutes) { sampledAt cpuPercent memUsedPercent netRxBps netTxBps }
  }
`);
