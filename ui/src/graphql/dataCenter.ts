import { graphql } from '../gql';

export const DataCentersQuery = graphql(`
  query DataCenters($first: Int, $after: String, $filter: DataCenterFilter, $sortBy: DataCenterSortField, $direction: SortDirection) {
    dataCenters(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name status local compatibilityVersion description clusters(first: 0) { totalCount } storageDomains(first: 0) { totalCount } } }
    }
  }
`);

export const DataCenterDetailQuery = graphql(`
  query DataCenterDetail($id: ID!) {
    node(id: $id) { __typename ... on DataCenter { id name status local compatibilityVersion description createdAt } }
    canRemoveDataCenter(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const DataCenterOptionsQuery = graphql(`
  query DataCenterOptions { dataCenters(first: 100, sortBy: NAME) { edges { node { id name } } } }
`);

export const AddDataCenterMutation = graphql(`
  mutation AddDataCenter($input: AddDataCenterInput!) {
    addDataCenter(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddDataCenterSuccess { dataCenter { id name } }
    }
  }
`);

export const UpdateDataCenterMutation = graphql(`
  mutation UpdateDataCenter($input: UpdateDataCenterInput!) {
    updateDataCenter(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateDataCenterSuccess { dataCenter { id name description compatibilityVersion } }
    }
  }
`);

export const RemoveDataCenterMutation = graphql(`
  mutation RemoveDataCenter($id: ID!) {
    removeDataCenter(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveDataCenterSuccess { removed { id } }
    }
  }
`);
