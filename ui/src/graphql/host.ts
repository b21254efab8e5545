import { graphql } from '../gql';

export const HostsQuery = graphql(`
  query Hosts($first: Int, $after: String, $filter: HostFilter, $sortBy: HostSortField, $direction: SortDirection) {
    hosts(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name address status spm memoryMb cpuSockets cpuCores tags { id name colour } cluster { id name } statistics { cpuUserPercent cpuSysPercent memUsedMb memFreeMb runningVms } } }
    }
  }
`);

export const HostDetailQuery = graphql(`
  query HostDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Host {
        id name address status statusReason spm memoryMb cpuModel cpuSockets cpuCores cpuThreads osVersion agentVersion lastSeenAt createdAt
        cluster { id name dataCenter { id name } }
        nics { id name macAddress speedMbps bondMode bondName networkAttachments { id network { id name } } }
      }
    }
    canRemoveHost(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const AddHostMutation = graphql(`
  mutation AddHost($input: AddHostInput!) {
    addHost(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddHostSuccess { host { id name } }
    }
  }
`);

export const UpdateHostMutation = graphql(`
  mutation UpdateHost($input: UpdateHostInput!) {
    updateHost(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateHostSuccess { host { id name address } }
    }
  }
`);

export const RemoveHostMutation = graphql(`
  mutation RemoveHost($id: ID!) {
    removeHost(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveHostSuccess { removed { id } }
    }
  }
`);

export const HostMaintenanceChecksQuery = graphql(`
  query HostMaintenanceChecks($id: ID!) {
    canMaintenanceHost(input: { id: $id }) { allowed reasons { code message } }
    canActivateHost(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const MaintenanceHostMutation = graphql(`
  mutation MaintenanceHost($id: ID!) {
    maintenanceHost(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationMaintenanceHostSuccess { result { job { id status } host { id status } } }
    }
  }
`);

export const ActivateHostMutation = graphql(`
  mutation ActivateHost($id: ID!) {
    activateHost(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationActivateHostSuccess { host { id status } }
    }
  }
`);
