import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';

export const removeTag = defineAction({
  type: 'RemoveTag',
  title: 'remove Tag',
  actionGroup: 'TAG_MANAGEMENT',
  subject: () => SYSTEM,
  params: z.object({ tagId: nodeId('Tag', 'id') }),
  locks: (p) => [lockKey('Tag', p.tagId)],
  async validate({ tx }, p) {
    found(await tx.tag.findUnique({ where: { id: p.tagId } }), 'Tag', p.tagId);
    return [];
  },
  execute: ({ tx }, p) => tx.tag.delete({ where: { id: p.tagId } }),
  audit: (tag) => ({ code: 'USER_REMOVE_TAG', vars: { tagName: tag.name } }),
  api: {
    mutation: 'removeTag',
    description: 'Remove a tag; it comes off every VM and host that had it.',
    payload: { field: 'removed', type: 'Removed' },
    result: (tag) => ({ typename: 'Tag', id: tag.id }),
  },
});
