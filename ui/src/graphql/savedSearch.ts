import { graphql } from '../gql';

export const SavedSearchesQuery = graphql(`
  query SavedSearches($table: SearchTable!) {
    savedSearches(table: $table) { id name query }
  }
`);

export const SaveSearchMutation = graphql(`
  mutation SaveSearch($input: SaveSearchInput!) {
    saveSearch(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationSaveSearchSuccess { savedSearch { id name query } }
    }
  }
`);

export const RemoveSavedSearchMutation = graphql(`
  mutation RemoveSavedSearch($id: ID!) {
    removeSavedSearch(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveSavedSearchSuccess { removed { id } }
    }
  }
`);

export const SavedSearchChecksQuery = graphql(`
  query SavedSearchChecks($save: SaveSearchInput!, $remove: ID!, $removing: Boolean!) {
    canSaveSearch(input: $save) { allowed reasons { code message } }
    canRemoveSavedSearch(input: { id: $remove }) @include(if: $removing) { allowed reasons { code message } }
  }
`);
