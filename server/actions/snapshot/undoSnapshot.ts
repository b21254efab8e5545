import { endPreview } from './endPreview.ts';

export const undoSnapshot = endPreview('undo', {
  mutation: 'undoSnapshot',
  description: 'End a preview and go back to what the VM was before it.',
});
