import { graphql } from '../gql';

export const UsersQuery = graphql(`
  query Users($first: Int, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id userName domain displayName email active lastLoginAt groups { id name } } }
    }
  }
`);

export const UserOptionsQuery = graphql(`
  query UserOptions { users(first: 500) { edges { node { id userName domain displayName } } } }
`);

export const AddUserMutation = graphql(`
  mutation AddUser($input: AddUserInput!) {
    addUser(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddUserSuccess { user { id userName } }
    }
  }
`);

export const UpdateUserMutation = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateUserSuccess { user { id active } }
    }
  }
`);

export const RemoveUserMutation = graphql(`
  mutation RemoveUser($id: ID!) {
    removeUser(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveUserSuccess { removed { id } }
    }
  }
`);

export const UserChecksQuery = graphql(`
  query UserChecks($id: ID!, $active: Boolean!) {
    canUpdateUser(input: { id: $id, active: $active }) { allowed reasons { code message } }
    canRemoveUser(input: { id: $id }) { allowed reasons { code message } }
  }
`);
