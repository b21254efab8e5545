import { graphql } from '../gql';

export const VmActionChecksQuery = graphql(`
  query VmActionChecks($id: ID!) {
    canRunVm(input: { id: $id }) { allowed reasons { code message } }
    canShutdownVm(input: { id: $id }) { allowed reasons { code message } }
    canStopVm(input: { id: $id }) { allowed reasons { code message } }
    canMigrateVm(input: { id: $id }) { allowed reasons { code message } }
    canPauseVm(input: { id: $id }) { allowed reasons { code message } }
    canResumeVm(input: { id: $id }) { allowed reasons { code message } }
    canRebootVm(input: { id: $id }) { allowed reasons { code message } }
    canSuspendVm(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const CanShutdownVmWithQuery = graphql(`
  query CanShutdownVmWith($input: ShutdownVmInput!) { canShutdownVm(input: $input) { allowed reasons { code message } } }
`);

export const CanMigrateVmToQuery = graphql(`
  query CanMigrateVmTo($id: ID!, $host: ID) { canMigrateVm(input: { id: $id, host: $host }) { allowed reasons { code message } } }
`);

export const MigrationHostsQuery = graphql(`
  query MigrationHosts($cluster: ID!) {
    hosts(first: 100, filter: { cluster: $cluster, status: [UP] }, sortBy: NAME) { edges { node { id name } } }
  }
`);

export const RunVmMutation = graphql(`
  mutation RunVm($id: ID!) {
    runVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRunVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const ShutdownVmMutation = graphql(`
  mutation ShutdownVm($id: ID!, $timeoutSeconds: Int, $forceAfterTimeout: Boolean) {
    shutdownVm(input: { id: $id, timeoutSeconds: $timeoutSeconds, forceAfterTimeout: $forceAfterTimeout }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationShutdownVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const StopVmMutation = graphql(`
  mutation StopVm($id: ID!) {
    stopVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationStopVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const MigrateVmMutation = graphql(`
  mutation MigrateVm($id: ID!, $host: ID) {
    migrateVm(input: { id: $id, host: $host }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationMigrateVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const PauseVmMutation = graphql(`
  mutation PauseVm($id: ID!) {
    pauseVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationPauseVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const ResumeVmMutation = graphql(`
  mutation ResumeVm($id: ID!) {
    resumeVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationResumeVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const RebootVmMutation = graphql(`
  mutation RebootVm($id: ID!) {
    rebootVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRebootVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const SuspendVmMutation = graphql(`
  mutation SuspendVm($id: ID!) {
    suspendVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationSuspendVmSuccess { result { job { id status } vm { id status } } }
    }
  }
`);

export const CanCancelMigrateVmQuery = graphql(`
  query CanCancelMigrateVm($id: ID!) { canCancelMigrateVm(input: { id: $id }) { allowed reasons { code message } } }
`);

export const CancelMigrateVmMutation = graphql(`
  mutation CancelMigrateVm($id: ID!) {
    cancelMigrateVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationCancelMigrateVmSuccess { result { job { id status } } }
    }
  }
`);
