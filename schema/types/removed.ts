import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { RemovedNode } from '../../server/actions/defineAction.ts';

/** The payload of a removal: the removed object's global id. */
export const RemovedRef = builder.objectRef<RemovedNode>('Removed').implement({
  fields: (t) => ({
    id: t.id({ description: 'Global id of the object that was removed.', resolve: (r) => encodeGlobalID(r.typename, r.id) }),
  }),
});
