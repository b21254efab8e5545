import { endPreview } from './endPreview.ts';

export const commitSnapshot = endPreview('commit', {
  mutation: 'commitSnapshot',
  description: "Keep the previewed snapshot as the VM's state; newer snapshots and the state before the preview are dropped.",
});
