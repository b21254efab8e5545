import { graphql } from '../gql';

export const VmSnapshotsQuery = graphql(`
  query VmSnapshots($id: ID!) {
    node(id: $id) {
      __typename
      ... on Vm {
        id name status resumesFromMemory
        snapshots { id description type status withMemory createdAt parent { id } memoryDisk { id actualSizeBytes } }
      }
    }
  }
`);

/** What may be done on the VM's snapshots now: create, and commit or undo a preview. */
export const SnapshotVmChecksQuery = graphql(`
  query SnapshotVmChecks($vm: ID!) {
    canCreateSnapshot(input: { vm: $vm, description: "dry run" }) { allowed reasons { code message } }
    canCommitSnapshot(input: { vm: $vm }) { allowed reasons { code message } }
    canUndoSnapshot(input: { vm: $vm }) { allowed reasons { code message } }
  }
`);

/** What may be done with one snapshot now. */
export const SnapshotChecksQuery = graphql(`
  query SnapshotChecks($vm: ID!, $snapshot: ID!) {
    canPreviewSnapshot(input: { vm: $vm, snapshot: $snapshot }) { allowed reasons { code message } }
    canRestoreSnapshot(input: { vm: $vm, snapshot: $snapshot }) { allowed reasons { code message } }
    canRemoveSnapshot(input: { vm: $vm, snapshot: $snapshot }) { allowed reasons { code message } }
  }
`);

export const CreateSnapshotMutation = graphql(`
  mutation CreateSnapshot($vm: ID!, $description: String!, $withMemory: Boolean) {
    createSnapshot(input: { vm: $vm, description: $description, withMemory: $withMemory }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationCreateSnapshotSuccess { snapshot { id description type status } }
    }
  }
`);

export const PreviewSnapshotMutation = graphql(`
  mutation PreviewSnapshot($vm: ID!, $snapshot: ID!, $restoreMemory: Boolean) {
    previewSnapshot(input: { vm: $vm, snapshot: $snapshot, restoreMemory: $restoreMemory }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationPreviewSnapshotSuccess { snapshot { id description type status } }
    }
  }
`);

export const RestoreSnapshotMutation = graphql(`
  mutation RestoreSnapshot($vm: ID!, $snapshot: ID!) {
    restoreSnapshot(input: { vm: $vm, snapshot: $snapshot }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRestoreSnapshotSuccess { snapshot { id description type status } }
    }
  }
`);

export const CommitSnapshotMutation = graphql(`
  mutation CommitSnapshot($vm: ID!) {
    commitSnapshot(input: { vm: $vm }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationCommitSnapshotSuccess { snapshot { id description type status } }
    }
  }
`);

export const UndoSnapshotMutation = graphql(`
  mutation UndoSnapshot($vm: ID!) {
    undoSnapshot(input: { vm: $vm }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationUndoSnapshotSuccess { snapshot { id description type status } }
    }
  }
`);

export const RemoveSnapshotMutation = graphql(`
  mutation RemoveSnapshot($vm: ID!, $snapshot: ID!) {
    removeSnapshot(input: { vm: $vm, snapshot: $snapshot }) {
      __typename
      ... on Error { code message }
      ... on ValidationError { reasons { code message } }
      ... on InputError { issues { path message } }
      ... on MutationRemoveSnapshotSuccess { removed { id } }
    }
  }
`);
