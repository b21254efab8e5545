import { graphql } from '../gql';

export const TemplatesQuery = graphql(`
  query Templates($first: Int, $after: String, $filter: TemplateFilter, $sortBy: TemplateSortField, $direction: SortDirection) {
    templates(first: $first, after: $after, filter: $filter, sortBy: $sortBy, direction: $direction) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name description version status osType memoryMb cpuSockets cpuCores cpuThreads createdAt cluster { id name } disks { id provisionedSizeBytes } } }
    }
  }
`);

export const TemplateDetailQuery = graphql(`
  query TemplateDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Template {
        id name description version status osType memoryMb cpuSockets cpuCores cpuThreads createdAt
        cluster { id name dataCenter { id name } }
        guaranteedMemoryMb highlyAvailable stateless displayType
        disks { id alias format sparse provisionedSizeBytes actualSizeBytes status storageDomain { id name } }
        nics { name interface network { id name } }
      }
    }
    canRemoveTemplate(input: { id: $id }) { allowed reasons { code message } }
  }
`);

/** The VMs made from a template (the first 100, by name). */
export const TemplateVmsQuery = graphql(`
  query TemplateVms($template: ID!) {
    vms(first: 100, filter: { template: $template }, sortBy: NAME) {
      totalCount
      edges { node { id name status cluster { id name } } }
    }
  }
`);

export const CanAddTemplateQuery = graphql(`
  query CanAddTemplate($input: AddTemplateInput!) { canAddTemplate(input: $input) { allowed reasons { code message } } }
`);

export const CanAddVmFromTemplateQuery = graphql(`
  query CanAddVmFromTemplate($input: AddVmFromTemplateInput!) { canAddVmFromTemplate(input: $input) { allowed reasons { code message } } }
`);

export const AddTemplateMutation = graphql(`
  mutation AddTemplate($input: AddTemplateInput!) {
    addTemplate(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddTemplateSuccess { template { id name } }
    }
  }
`);

export const AddVmFromTemplateMutation = graphql(`
  mutation AddVmFromTemplate($input: AddVmFromTemplateInput!) {
    addVmFromTemplate(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddVmFromTemplateSuccess { vm { id name } }
    }
  }
`);

export const RemoveTemplateMutation = graphql(`
  mutation RemoveTemplate($id: ID!) {
    removeTemplate(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRemoveTemplateSuccess { removed { id } }
    }
  }
`);
