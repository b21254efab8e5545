import { graphql } from '../gql';

/** The templates the user may make VMs from (those she may see that are ready), with their cluster. */
export const PortalTemplatesQuery = graphql(`
  query PortalTemplates {
    templates(first: 100, sortBy: NAME) { edges { node { id name status description cluster { id name } } } }
  }
`);

export const CanCloneVmQuery = graphql(`
  query CanCloneVm($input: CloneVmInput!) { canCloneVm(input: $input) { allowed reasons { code message } } }
`);

export const CloneVmMutation = graphql(`
  mutation CloneVm($input: CloneVmInput!) {
    cloneVm(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationCloneVmSuccess { vm { id name } }
    }
  }
`);
