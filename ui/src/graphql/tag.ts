import { graphql } from '../gql';

export const TagsQuery = graphql(`
  query Tags {
    tags { id name description colour }
    canAddTag(input: { name: "tag-name-check" }) { allowed reasons { code message } }
  }
`);

export const ObjectTagsQuery = graphql(`
  query ObjectTags($id: ID!) {
    node(id: $id) { id ... on Vm { tags { id name colour } } ... on Host { tags { id name colour } } }
    tags { id name colour }
  }
`);

export const CanTagVmQuery = graphql(`
  query CanTagVm($vm: ID!, $tag: ID!) {
    canTagVm(input: { vm: $vm, tag: $tag }) { allowed reasons { code message } }
    canUntagVm(input: { vm: $vm, tag: $tag }) { allowed reasons { code message } }
  }
`);

export const CanTagHostQuery = graphql(`
  query CanTagHost($host: ID!, $tag: ID!) {
    canTagHost(input: { host: $host, tag: $tag }) { allowed reasons { code message } }
    canUntagHost(input: { host: $host, tag: $tag }) { allowed reasons { code message } }
  }
`);

export const TagVmMutation = graphql(`
  mutation TagVm($input: TagVmInput!) {
    tagVm(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationTagVmSuccess { vm { id tags { id name colour } } }
    }
  }
`);

export const UntagVmMutation = graphql(`
  mutation UntagVm($input: UntagVmInput!) {
    untagVm(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationUntagVmSuccess { vm { id tags { id name colour } } }
    }
  }
`);

export const TagHostMutation = graphql(`
  mutation TagHost($input: TagHostInput!) {
    tagHost(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationTagHostSuccess { host { id tags { id name colour } } }
    }
  }
`);

export const UntagHostMutation = graphql(`
  mutation UntagHost($input: UntagHostInput!) {
    untagHost(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationUntagHostSuccess { host { id tags { id name colour } } }
    }
  }
`);

export const AddTagMutation = graphql(`
  mutation AddTag($input: AddTagInput!) {
    addTag(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationAddTagSuccess { tag { id name } }
    }
  }
`);

export const RemoveTagMutation = graphql(`
  mutation RemoveTag($id: ID!) {
    removeTag(input: { id: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRemoveTagSuccess { removed { id } }
    }
  }
`);

export const TagChecksQuery = graphql(`
  query TagChecks($id: ID!) {
    canUpdateTag(input: { id: $id }) { allowed reasons { code message } }
    canRemoveTag(input: { id: $id }) { allowed reasons { code message } }
  }
`);

export const UpdateTagMutation = graphql(`
  mutation UpdateTag($input: UpdateTagInput!) {
    updateTag(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUpdateTagSuccess { tag { id name description colour } }
    }
  }
`);
