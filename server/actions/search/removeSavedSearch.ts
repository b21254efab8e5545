import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

export const removeSavedSearch = defineAction({
  type: 'RemoveSavedSearch',
  title: 'remove saved search',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({ searchId: nodeId('SavedSearch', 'id') }),
  locks: (p) => [lockKey('SavedSearch', p.searchId)],
  async validate({ tx, actor }, p) {
    const s = found(await tx.savedSearch.findUnique({ where: { id: p.searchId } }), 'SavedSearch', p.searchId);
    return [
      refuseWhen(
        s.userId !== actor.userId,
        'SAVED_SEARCH_NOT_YOURS',
        "This saved search is another user's: only its owner may see or remove it.",
      ),
    ];
  },
  execute: ({ tx }, p) => tx.savedSearch.delete({ where: { id: p.searchId } }),
  audit: (s) => ({ code: 'USER_REMOVE_SAVED_SEARCH', vars: { searchName: s.name } }),
  api: {
    mutation: 'removeSavedSearch',
    description: 'Remove one of your saved searches.',
    payload: { field: 'removed', type: 'Removed' },
    result: (s) => ({ typename: 'SavedSearch', id: s.id }),
  },
});
