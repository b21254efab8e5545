import { graphql } from '../gql';

export const VmCdromQuery = graphql(`
  query VmCdrom($id: ID!) {
    node(id: $id) {
      id
      ... on Vm {
        cdrom { id name }
        bootDevices
        isoImages { id name storageDomain { id name } }
      }
    }
  }
`);

export const CanChangeVmCdromQuery = graphql(`
  query CanChangeVmCdrom($input: UpdateVmInput!) {
    canUpdateVm(input: $input) { allowed reasons { code message } }
  }
`);

export const ChangeVmCdromMutation = graphql(`
  mutation ChangeVmCdrom($input: UpdateVmInput!) {
    updateVm(input: $input) {
      __typename
      ... on MutationUpdateVmSuccess { vm { id cdrom { id name } bootDevices } }
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
    }
  }
`);

/** A VM's user's view of its CD-ROM (UserRole: CHANGE_VM_CD, not updateVm). */
export const VmCardCdromQuery = graphql(`
  query VmCardCdrom($id: ID!) {
    node(id: $id) { id ... on Vm { cdrom { id name } isoImages { id name } } }
  }
`);

export const CanChangeVmCdQuery = graphql(`
  query CanChangeVmCd($input: ChangeVmCdInput!) {
    canChangeVmCd(input: $input) { allowed reasons { code message } }
  }
`);

export const ChangeVmCdMutation = graphql(`
  mutation ChangeVmCd($input: ChangeVmCdInput!) {
    changeVmCd(input: $input) {
      __typename
      ... on MutationChangeVmCdSuccess { vm { id cdrom { id name } isoImages { id name } } }
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
    }
  }
`);
