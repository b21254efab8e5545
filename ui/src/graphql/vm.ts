import { graphql } from '../gql';

export const VmsQuery = graphql(`
  query Vms($first: Int, $after: String, $filter: VmFilter, $sortBy: VmSortField, $direction: SortDirection) {
    vms(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name status memoryMb vcpus cpuSockets cpuCores osType highlyAvailable description tags { id name colour } cluster { id name } host { id name } console { protocol address port tlsPort websocketPort } statistics { cpuPercent memUsedMb guestIps } } }
    }
  }
`);

/** The user portal's cards: no cluster or host, which a user given only VMs may not read. */
export const PortalVmsQuery = graphql(`
  query PortalVms($first: Int, $after: String, $filter: VmFilter, $sortBy: VmSortField, $direction: SortDirection) {
    vms(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name status memoryMb vcpus cpuSockets cpuCores osType highlyAvailable description console { protocol address port tlsPort websocketPort } statistics { cpuPercent memUsedMb guestIps } } }
    }
  }
`);

export const VmDetailQuery = graphql(`
  query VmDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Vm {
        id name description status osType memoryMb guaranteedMemoryMb cpuSockets cpuCores cpuThreads vcpus highlyAvailable haPriority stateless createdAt
        cluster { id name dataCenter { id name } }
        host { id name }
        template { id name }
        statistics { sampledAt cpuPercent memUsedMb netRxBps netTxBps diskReadBps diskWriteBps uptimeSeconds guestHostname guestIps }
        console { protocol address port tlsPort websocketPort }
        initialization { hostName userName passwordSet sshAuthorizedKeys nics { name bootProtocol address prefix gateway } dnsServers }
      }
    }
    canRemoveVm(input: { id: $id }) { allowed reasons { code message } }
    canAddTemplate(input: { vm: $id, name: "template-name-check" }) { allowed reasons { code message } }
  }
`);

export const AddVmMutation = graphql(`
  mutation AddVm($input: AddVmInput!) {
    addVm(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddVmSuccess { vm { id name } }
    }
  }
`);

export const UpdateVmMutation = graphql(`
  mutation UpdateVm($input: UpdateVmInput!) {
    updateVm(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateVmSuccess { vm { id name description memoryMb cpuSockets cpuCores osType } }
    }
  }
`);

export const RemoveVmMutation = graphql(`
  mutation RemoveVm($id: ID!) {
    removeVm(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveVmSuccess { removed { id } }
    }
  }
`);

export const CanRemoveVmQuery = graphql(`
  query CanRemoveVm($id: ID!) { canRemoveVm(input: { id: $id }) { allowed reasons { code message } } }
`);

/** A user-portal card's Edit, Remove and Clone: whether the user may do them at all (Clone asked with a placeholder name). */
export const VmCardChecksQuery = graphql(`
  query VmCardChecks($id: ID!) {
    canUpdateVm(input: { id: $id }) { allowed reasons { code message } }
    canRemoveVm(input: { id: $id }) { allowed reasons { code message } }
    canCloneVm(input: { id: $id, name: "clone-name-check" }) { allowed reasons { code message } }
  }
`);

export const CanConsoleTicketQuery = graphql(`
  query CanConsoleTicket($vm: ID!) { canConsoleTicket(input: { vm: $vm }) { allowed reasons { code message } } }
`);

export const ConsoleTicketMutation = graphql(`
  mutation ConsoleTicket($vm: ID!) {
    consoleTicket(input: { vm: $vm }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationConsoleTicketSuccess { ticket { protocol address port tlsPort expiresAt remoteViewerFile password proxyPath } }
    }
  }
`);

export const OperatingSystemOptionsQuery = graphql(`
  query OperatingSystemOptions { operatingSystems }
`);
