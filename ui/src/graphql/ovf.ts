import { graphql } from '../gql';

/** What an import would create (a VM or a template), every warning, and the refusals. */
export const OvfImportPreviewFields = graphql(`
  fragment OvfImportPreviewFields on OvfImportPreview {
    allowed
    reasons { code message }
    warnings { code message }
    vm {
      kind producer id name description osType cpuSockets cpuCores cpuThreads memoryMb templateVersion
      disks { sourceId alias provisionedSizeBytes actualSizeBytes format bootable interface storageDomain { id name } }
      nics { name sourceNetwork network { id name } interface macAddress plugged }
    }
  }
`);

export const OvfImportPreviewQuery = graphql(`
  query OvfImportPreview($input: ImportVmInput!) {
    ovfImportPreview(input: $input) { ...OvfImportPreviewFields }
  }
`);

export const OvfTemplateImportPreviewQuery = graphql(`
  query OvfTemplateImportPreview($input: ImportTemplateInput!) {
    ovfTemplateImportPreview(input: $input) { ...OvfImportPreviewFields }
  }
`);

export const ImportVmMutation = graphql(`
  mutation ImportVm($input: ImportVmInput!) {
    importVm(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationImportVmSuccess { imported { vm { id name } warnings { code message } } }
    }
  }
`);

export const ImportTemplateMutation = graphql(`
  mutation ImportTemplate($input: ImportTemplateInput!) {
    importTemplate(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationImportTemplateSuccess { imported { template { id name } warnings { code message } } }
    }
  }
`);

export const ImportNetworksQuery = graphql(`
  query ImportNetworks($cluster: ID!) {
    networks(first: 100, filter: { cluster: $cluster }, sortBy: NAME) { edges { node { id name vmNetwork } } }
  }
`);

export const VmOvfQuery = graphql(`
  query VmOvf($id: ID!) { vmOvf(id: $id) }
`);

export const TemplateOvfQuery = graphql(`
  query TemplateOvf($id: ID!) { templateOvf(id: $id) }
`);

export const ImportTargetsQuery = graphql(`
  query ImportTargets {
    clusters(first: 100, sortBy: NAME) { edges { node { id name dataCenter { id name } } } }
    storageDomains(first: 100, sortBy: NAME, filter: { domainType: DATA }) { edges { node { id name freeBytes dataCenter { id } } } }
  }
`);
