import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { tagSettings } from './tagSettings.ts';

export const updateTag = defineAction({
  type: 'UpdateTag',
  title: 'update Tag',
  actionGroup: 'TAG_MANAGEMENT',
  subject: () => SYSTEM,
  params: z.object({ tagId: nodeId('Tag', 'id'), name: objectName.optional(), ...tagSettings }),
  locks: (p) => [lockKey('Tag', p.tagId), ...(p.name ? [lockKey('TagName', p.name)] : [])],
  async validate({ tx }, p) {
    const tag = found(await tx.tag.findUnique({ where: { id: p.tagId } }), 'Tag', p.tagId);
    const name = p.name ?? tag.name;
    return [nameFree((await tx.tag.count({ where: { name, id: { not: tag.id } } })) > 0, 'Tag', name)];
  },
  execute: ({ tx }, { tagId, ...data }) => tx.tag.update({ where: { id: tagId }, data }),
  audit: (tag) => ({ code: 'USER_UPDATE_TAG', vars: { tagName: tag.name } }),
  api: {
    mutation: 'updateTag',
    description: 'Rename a tag or change its description or colour; the VMs and hosts keep it.',
    payload: { field: 'tag', type: 'Tag' },
  },
});
