import { graphql } from '../gql';

export const ClustersQuery = graphql(`
  query Clusters($first: Int, $after: String, $filter: ClusterFilter, $sortBy: ClusterSortField, $direction: SortDirection) {
    clusters(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name cpuType schedulingPolicy memoryOvercommitPercent dataCenter { id name } hosts(first: 0) { totalCount } vms(first: 0) { totalCount } } }
    }
  }
`);

export const ClusterDetailQuery = graphql(`
  query ClusterDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Cluster {
        id name description cpuType schedulingPolicy memoryOvercommitPercent ballooningEnabled haReservation createdAt
        dataCenter { id name }
        networks { required network { id name vlanId } }
      }
    }
    canRemoveCluster(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const ClusterOptionsQuery = graphql(`
  query ClusterOptions { clusters(first: 100, sortBy: NAME) { edges { node { id name dataCenter { id name } } } } }
`);

export const AddClusterMutation = graphql(`
  mutation AddCluster($input: AddClusterInput!) {
    addCluster(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddClusterSuccess { cluster { id name } }
    }
  }
`);

export const UpdateClusterMutation = graphql(`
  mutation UpdateCluster($input: UpdateClusterInput!) {
    updateCluster(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateClusterSuccess { cluster { id name description cpuType memoryOvercommitPercent schedulingPolicy } }
    }
  }
`);

export const RemoveClusterMutation = graphql(`
  mutation RemoveCluster($id: ID!) {
    removeCluster(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveClusterSuccess { removed { id } }
    }
  }
`);
