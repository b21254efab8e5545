import { graphql } from '../gql';

export const NetworksQuery = graphql(`
  query Networks($first: Int, $after: String, $filter: NetworkFilter, $sortBy: NetworkSortField, $direction: SortDirection) {
    networks(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name description vlanId mtu vmNetwork dataCenter { id name } } }
    }
  }
`);

export const NetworkDetailQuery = graphql(`
  query NetworkDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Network { id name description vlanId mtu vmNetwork dataCenter { id name } clusters { required cluster { id name } } }
    }
    canRemoveNetwork(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const AddNetworkMutation = graphql(`
  mutation AddNetwork($input: AddNetworkInput!) {
    addNetwork(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddNetworkSuccess { network { id name } }
    }
  }
`);

export const UpdateNetworkMutation = graphql(`
  mutation UpdateNetwork($input: UpdateNetworkInput!) {
    updateNetwork(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateNetworkSuccess { network { id name description vlanId mtu } }
    }
  }
`);

export const RemoveNetworkMutation = graphql(`
  mutation RemoveNetwork($id: ID!) {
    removeNetwork(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveNetworkSuccess { removed { id } }
    }
  }
`);
