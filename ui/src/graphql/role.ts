import { graphql } from '../gql';

export const RolesQuery = graphql(`
  query Roles { roles { id name description builtIn adminRole actionGroups } }
`);

export const AddRoleMutation = graphql(`
  mutation AddRole($input: AddRoleInput!) {
    addRole(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddRoleSuccess { role { id name } }
    }
  }
`);

export const RemoveRoleMutation = graphql(`
  mutation RemoveRole($id: ID!) {
    removeRole(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveRoleSuccess { removed { id } }
    }
  }
`);

export const CanRemoveRoleQuery = graphql(`
  query CanRemoveRole($id: ID!) { canRemoveRole(input: { id: $id }) { allowed reasons { code message } } }
`);
