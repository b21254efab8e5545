import { graphql } from '../gql';

export const ClusterBalancingQuery = graphql(`
  query ClusterBalancing($id: ID!) {
    node(id: $id) {
      __typename
      ... on Cluster {
        id schedulingPolicy highUtilizationPercent lowUtilizationPercent cpuOverloadMinutes maxVmCountDifference
        affinityGroups { id name vmPolarity vmEnforcing hostPolarity hostEnforcing vms { id name } hosts { id name } }
      }
    }
    balancePlan(cluster: $id) {
      policy notes
      moves { vmName sourceName destinationName kind reason }
      hosts { name cpuPercent vmCount load }
    }
  }
`);
