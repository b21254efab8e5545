import { graphql } from '../gql';

export const DisksQuery = graphql(`
  query Disks($first: Int, $after: String, $filter: DiskFilter, $sortBy: DiskSortField, $direction: SortDirection) {
    disks(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id alias status format sparse provisionedSizeBytes actualSizeBytes storageDomain { id name dataCenter { id } } template { id name } attachments { id vm { id name } } } }
    }
  }
`);

export const VmDisksQuery = graphql(`
  query VmDisks($id: ID!) {
    node(id: $id) {
      __typename
      ... on Vm {
        id name cluster { id dataCenter { id } }
        diskAttachments {
          id bootable interface active
          disk { id alias status format sparse provisionedSizeBytes actualSizeBytes storageDomain { id name dataCenter { id } } }
        }
      }
    }
  }
`);

/** Whether the disk can be detached from the VM and removed. */
export const DiskRowChecksQuery = graphql(`
  query DiskRowChecks($vm: ID!, $disk: ID!) {
    canDetachDisk(input: { vm: $vm, disk: $disk }) { allowed reasons { code message } }
    canRemoveDisk(input: { id: $disk }) { allowed reasons { code message } }
  }
`);

export const CanAddDiskQuery = graphql(`
  query CanAddDisk($input: AddDiskInput!) { canAddDisk(input: $input) { allowed reasons { code message } } }
`);

export const CanResizeDiskQuery = graphql(`
  query CanResizeDisk($input: ResizeDiskInput!) { canResizeDisk(input: $input) { allowed reasons { code message } } }
`);

export const CanAttachDiskQuery = graphql(`
  query CanAttachDisk($input: AttachDiskInput!) { canAttachDisk(input: $input) { allowed reasons { code message } } }
`);

export const FloatingDisksQuery = graphql(`
  query FloatingDisks {
    disks(first: 200, filter: { floating: true }, sortBy: ALIAS) {
      edges { node { id alias provisionedSizeBytes storageDomain { id name dataCenter { id } } } }
    }
  }
`);

export const AddDiskMutation = graphql(`
  mutation AddDisk($input: AddDiskInput!) {
    addDisk(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddDiskSuccess { disk { id alias } }
    }
  }
`);

export const ResizeDiskMutation = graphql(`
  mutation ResizeDisk($input: ResizeDiskInput!) {
    resizeDisk(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationResizeDiskSuccess { disk { id provisionedSizeBytes actualSizeBytes } }
    }
  }
`);

export const AttachDiskMutation = graphql(`
  mutation AttachDisk($input: AttachDiskInput!) {
    attachDisk(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAttachDiskSuccess { diskAttachment { id } }
    }
  }
`);

export const DetachDiskMutation = graphql(`
  mutation DetachDisk($vm: ID!, $disk: ID!) {
    detachDisk(input: { vm: $vm, disk: $disk }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationDetachDiskSuccess { disk { id } }
    }
  }
`);

export const RemoveDiskMutation = graphql(`
  mutation RemoveDisk($id: ID!) {
    removeDisk(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRemoveDiskSuccess { removed { id } }
    }
  }
`);

/** Data domains where a VM's disks may go (its data center), with their free space. */
export const DataDomainsQuery = graphql(`
  query DataDomains($dataCenter: ID) {
    storageDomains(first: 100, sortBy: NAME, filter: { domainType: DATA, dataCenter: $dataCenter }) { edges { node { id name freeBytes } } }
  }
`);

export const CanMoveDiskQuery = graphql(`
  query CanMoveDisk($input: MoveDiskInput!) { canMoveDisk(input: $input) { allowed reasons { code message } } }
`);

export const CanCopyDiskQuery = graphql(`
  query CanCopyDisk($input: CopyDiskInput!) { canCopyDisk(input: $input) { allowed reasons { code message } } }
`);

export const MoveDiskMutation = graphql(`
  mutation MoveDisk($input: MoveDiskInput!) {
    moveDisk(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationMoveDiskSuccess { disk { id storageDomain { id name } } }
    }
  }
`);

export const CopyDiskMutation = graphql(`
  mutation CopyDisk($input: CopyDiskInput!) {
    copyDisk(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationCopyDiskSuccess { disk { id alias storageDomain { id name } } }
    }
  }
`);
