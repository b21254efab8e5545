import { graphql } from '../gql';

export const StorageDomainsQuery = graphql(`
  query StorageDomains($first: Int, $after: String, $filter: StorageDomainFilter, $sortBy: StorageDomainSortField, $direction: SortDirection) {
    storageDomains(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name status domainType storageType master capacityBytes usedBytes freeBytes dataCenter { id name } } }
    }
  }
`);

export const StorageDomainDetailQuery = graphql(`
  query StorageDomainDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on StorageDomain { id name description status domainType storageType path master capacityBytes usedBytes freeBytes dataCenter { id name } }
    }
    canRemoveStorageDomain(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const StorageDomainOptionsQuery = graphql(`
  query StorageDomainOptions { storageDomains(first: 100, sortBy: NAME, filter: { domainType: DATA }) { edges { node { id name dataCenter { id } } } } }
`);

export const AddStorageDomainMutation = graphql(`
  mutation AddStorageDomain($input: AddStorageDomainInput!) {
    addStorageDomain(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddStorageDomainSuccess { storageDomain { id name } }
    }
  }
`);

export const UpdateStorageDomainMutation = graphql(`
  mutation UpdateStorageDomain($input: UpdateStorageDomainInput!) {
    updateStorageDomain(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateStorageDomainSuccess { storageDomain { id name description } }
    }
  }
`);

export const RemoveStorageDomainMutation = graphql(`
  mutation RemoveStorageDomain($id: ID!) {
    removeStorageDomain(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveStorageDomainSuccess { removed { id } }
    }
  }
`);
