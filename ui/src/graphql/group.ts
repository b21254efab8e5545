import { graphql } from '../gql';

export const GroupsQuery = graphql(`
  query Groups { groups { id name domain members { id userName } } }
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

export const CanRemoveGroupQuery = graphql(`
  query CanRemoveGroup($id: ID!) { canRemoveGroup(input: { id: $id }) { allowed reasons { code message } } }
`);

export const RemoveGroupMutation = graphql(`
  mutation RemoveGroup($id: ID!) {
    removeGroup(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveGroupSuccess { removed { id } }
    }
  }
`);

export const AddGroupMemberMutation = graphql(`
  mutation AddGroupMember($input: AddGroupMemberInput!) {
    addGroupMember(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationAddGroupMemberSuccess { group { id members { id userName } } }
    }
  }
`);

export const RemoveGroupMemberMutation = graphql(`
  mutation RemoveGroupMember($input: RemoveGroupMemberInput!) {
    removeGroupMember(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveGroupMemberSuccess { group { id members { id userName } } }
    }
  }
`);
