import { graphql } from '../gql';

export const TemplatesQuery = graphql(`
  query Templates {
    templates { id name description version status osType memoryMb cpuSockets cpuCores cpuThreads createdAt cluster { id name } disks { id provisionedSizeBytes } }
  }
`);

export const TemplateDetailQuery = graphql(`
  query TemplateDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Template {
        id name description version status osType memoryMb cpuSockets cpuCores cpuThreads createdAt
        cluster { id name dataCenter { id name } }
        disks { id alias format sparse provisionedSizeBytes actualSizeBytes status storageDomain { id name } }
      }
    }
    canRemoveTemplate(input: { id: $id }) { allowed reasons { code message } }
  }
`);

/** VMs of a data center with their template: the API has no template filter, the page filters these. */
export const TemplateVmsQuery = graphql(`
  query TemplateVms($dataCenter: ID) {
    vms(first: 500, filter: { dataCenter: $dataCenter }, sortBy: NAME) {
      totalCount
      edges { node { id name status template { id } cluster { id name } } }
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
