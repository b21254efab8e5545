import { graphql } from '../gql';

export const GroupsQuery = graphql(`
  query Groups { groups { id name domain } }
`);

export const AddGroupMutation = graphql(`
  mutation AddGroup($input: AddGroupInput!) {
    addGroup(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddGroupSuccess { group { id name } }
    }
  }
`);
