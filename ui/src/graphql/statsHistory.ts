// Stored history over the chart's range (the engine picks samples, hours or days), drawn before
// the live samples of graphql/live.ts.
import { graphql } from '../gql';

export const HostStatsHistoryQuery = graphql(`
  query HostStatsHistory($id: ID!, $from: DateTime!, $to: DateTime!) {
    node(id: $id) { __typename ... on Host { id statsHistory(from: $from, to: $to) { sampledAt cpuPercent memUsedMb memFreeMb netRxBps netTxBps } } }
  }
`);

export const VmStatsHistoryQuery = graphql(`
  query VmStatsHistory($id: ID!, $from: DateTime!, $to: DateTime!) {
    node(id: $id) { __typename ... on Vm { id statsHistory(from: $from, to: $to) { sampledAt cpuPercent memUsedMb netRxBps netTxBps } } }
  }
`);

export const SystemStatsHistoryQuery = graphql(`
  query SystemStatsHistory($from: DateTime!, $to: DateTime!) {
    systemStatsHistory(from: $from, to: $to) { sampledAt cpuPercent memUsedPercent netRxBps netTxBps }
  }
`);
