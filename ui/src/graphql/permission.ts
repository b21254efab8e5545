import { graphql } from '../gql';

export const PermissionsQuery = graphql(`
  query Permissions($object: ID) {
    permissions(object: $object, includeInherited: true) {
      id objectType objectId objectName
      role { id name }
      user { id userName domain displayName }
      group { id name domain }
    }
  }
`);

export const CanAddPermissionQuery = graphql(`
  query CanAddPermission($input: AddPermissionInput!) { canAddPermission(input: $input) { allowed reasons { code message } } }
`);

export const AddPermissionMutation = graphql(`
  mutation AddPermission($input: AddPermissionInput!) {
    addPermission(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddPermissionSuccess { permission { id } }
    }
  }
`);

export const RemovePermissionMutation = graphql(`
  mutation RemovePermission($id: ID!) {
    removePermission(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemovePermissionSuccess { removed { id } }
    }
  }
`);

export const CanRemovePermissionQuery = graphql(`
  query CanRemovePermission($id: ID!) { canRemovePermission(input: { id: $id }) { allowed reasons { code message } } }
`);
