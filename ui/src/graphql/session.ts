import { graphql } from '../gql';

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on Error { code message }
      ... on InputError { issues { path message } }
      ... on MutationLoginSuccess { session { token user { id userName displayName } } }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout { logout }
`);

export const MeQuery = graphql(`
  query Me { me { id userName displayName domain } }
`);

/** Whether the user may use the admin portal (holds an administrator role somewhere). */
export const AdminAccessQuery = graphql(`
  query AdminAccess { adminPortalAllowed }
`);
