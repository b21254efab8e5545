import { graphql } from '../gql';

/** A VM's NICs, and the networks of its cluster a NIC may use. */
export const VmNicsQuery = graphql(`
  query VmNics($id: ID!) {
    node(id: $id) {
      __typename
      ... on Vm {
        id name status
        nics { id name macAddress interface linked plugged network { id name } }
        cluster { id networks { network { id name vmNetwork } } }
      }
    }
    canAddVmNic(input: { vm: $id }) { allowed reasons { code message } }
  }
`);

/** Whether the NIC can be edited and removed now. */
export const NicRowChecksQuery = graphql(`
  query NicRowChecks($vm: ID!, $nic: ID!) {
    canUpdateVmNic(input: { vm: $vm, nic: $nic }) { allowed reasons { code message } }
    canRemoveVmNic(input: { vm: $vm, nic: $nic }) { allowed reasons { code message } }
  }
`);

export const AddVmNicMutation = graphql(`
  mutation AddVmNic($input: AddVmNicInput!) {
    addVmNic(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddVmNicSuccess { nic { id name macAddress } }
    }
  }
`);

export const UpdateVmNicMutation = graphql(`
  mutation UpdateVmNic($input: UpdateVmNicInput!) {
    updateVmNic(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateVmNicSuccess { nic { id name macAddress interface linked plugged network { id name } } }
    }
  }
`);

export const RemoveVmNicMutation = graphql(`
  mutation RemoveVmNic($vm: ID!, $nic: ID!) {
    removeVmNic(input: { vm: $vm, nic: $nic }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRemoveVmNicSuccess { removed { id } }
    }
  }
`);
