import { graphql } from '../gql';

export const IsoImagesQuery = graphql(`
  query IsoImages($id: ID!) {
    node(id: $id) {
      id
      ... on StorageDomain { isoImages(first: 500) { edges { node { id name sizeBytes createdAt } } } }
    }
    canRefreshIsoImages(input: { storageDomain: $id }) { allowed reasons { code message } }
  }
`);

export const CanRemoveIsoImageQuery = graphql(`
  query CanRemoveIsoImage($id: ID!) { canRemoveIsoImage(input: { isoImage: $id }) { allowed reasons { code message } } }
`);

export const RemoveIsoImageMutation = graphql(`
  mutation RemoveIsoImage($id: ID!) {
    removeIsoImage(input: { isoImage: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
    }
  }
`);

export const RefreshIsoImagesMutation = graphql(`
  mutation RefreshIsoImages($id: ID!) {
    refreshIsoImages(input: { storageDomain: $id }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on MutationRefreshIsoImagesSuccess { storageDomain { id isoImages(first: 500) { edges { node { id name sizeBytes createdAt } } } } }
    }
  }
`);
