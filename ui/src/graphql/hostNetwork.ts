import { graphql } from '../gql';

export const HostNetworkQuery = graphql(`
  query HostNetwork($id: ID!) {
    node(id: $id) {
      __typename
      ... on Host {
        id name status
        nics { id name macAddress speedMbps mtu bondMode bondName networkAttachments { id vlanId mtu network { id name } } }
        cluster { id networks { required network { id name vlanId mtu vmNetwork } } }
      }
    }
  }
`);

export const CanSetupNetworksQuery = graphql(`
  query CanSetupNetworks($input: SetupNetworksInput!) {
    canSetupNetworks(input: $input) { allowed reasons { code message } }
  }
`);

export const SetupNetworksMutation = graphql(`
  mutation SetupNetworks($input: SetupNetworksInput!) {
    setupNetworks(input: $input) {
      __typename
      ... on MutationSetupNetworksSuccess { host { id status } }
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
    }
  }
`);
