// A cluster's balancing: its policy and thresholds, the balance plan now, and its affinity groups (edited here).
import { graphql } from '../gql';

export const ClusterBalancingQuery = graphql(`
  query ClusterBalancing($id: ID!) {
    node(id: $id) {
      __typename
      ... on Cluster {
        id name schedulingPolicy haReservation highUtilizationPercent lowUtilizationPercent cpuOverloadMinutes maxVmCountDifference
        powerSavingSpareHosts powerSavingIdleMinutes
        affinityGroups { id name description vmPolarity vmEnforcing hostPolarity hostEnforcing vms { id name } hosts { id name } }
      }
    }
    balancePlan(cluster: $id) {
      policy notes
      moves { vmName sourceName destinationName kind reason }
      powerOffs { hostName reason }
      hosts { name cpuPercent vmCount load }
    }
  }
`);

export const ClusterMembersQuery = graphql(`
  query ClusterMembers($id: ID!) {
    node(id: $id) {
      __typename
      ... on Cluster {
        id
        vms(first: 500) { edges { node { id name } } }
        hosts(first: 500) { edges { node { id name } } }
      }
    }
  }
`);

export const AddAffinityGroupMutation = graphql(`
  mutation AddAffinityGroup($input: AddAffinityGroupInput!) {
    addAffinityGroup(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddAffinityGroupSuccess { affinityGroup { id name } }
    }
  }
`);

export const UpdateAffinityGroupMutation = graphql(`
  mutation UpdateAffinityGroup($input: UpdateAffinityGroupInput!) {
    updateAffinityGroup(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateAffinityGroupSuccess { affinityGroup { id name } }
    }
  }
`);

export const RemoveAffinityGroupMutation = graphql(`
  mutation RemoveAffinityGroup($id: ID!) {
    removeAffinityGroup(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveAffinityGroupSuccess { removed { id } }
    }
  }
`);

export const CanRemoveAffinityGroupQuery = graphql(`
  query CanRemoveAffinityGroup($id: ID!) {
    canRemoveAffinityGroup(input: { id: $id }) { allowed reasons { code message } }
  }
`);
