// Host power management: the fence agents, their Test, and confirming a NonResponsive host was rebooted.
import { graphql } from '../gql';

export const HostPowerQuery = graphql(`
  query HostPower($id: ID!) {
    node(id: $id) {
      __typename
      ... on Host { id name status fenceAgents { id order type address port username passwordSet options { key value } } }
    }
    canConfirmHostRebooted(input: { host: $id }) { allowed reasons { code message } }
  }
`);

export const AddFenceAgentMutation = graphql(`
  mutation AddFenceAgent($input: AddFenceAgentInput!) {
    addFenceAgent(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddFenceAgentSuccess { fenceAgent { id } }
    }
  }
`);

export const RemoveFenceAgentMutation = graphql(`
  mutation RemoveFenceAgent($id: ID!) {
    removeFenceAgent(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveFenceAgentSuccess { removed { id } }
    }
  }
`);

export const TestFenceAgentMutation = graphql(`
  mutation TestFenceAgent($id: ID!) {
    testFenceAgent(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationTestFenceAgentSuccess { result { power } }
    }
  }
`);

export const ConfirmHostRebootedMutation = graphql(`
  mutation ConfirmHostRebooted($id: ID!) {
    confirmHostRebooted(input: { host: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationConfirmHostRebootedSuccess { host { id status statusReason } }
    }
  }
`);
