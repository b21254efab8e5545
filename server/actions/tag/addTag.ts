import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { objectName } from '../../validators/params.ts';
import { nameFree } from '../../validators/reasons.ts';
import { tagSettings } from './tagSettings.ts';

export const addTag = defineAction({
  type: 'AddTag',
  title: 'add Tag',
  actionGroup: 'TAG_MANAGEMENT',
  subject: () => SYSTEM,
  params: z.object({ name: objectName, ...tagSettings }),
  locks: (p) => [lockKey('TagName', p.name)],
  async validate({ tx }, p) {
    return [nameFree((await tx.tag.count({ where: { name: p.name } })) > 0, 'Tag', p.name)];
  },
  execute: ({ tx }, p) => tx.tag.create({ data: p }),
  audit: (tag) => ({ code: 'USER_ADD_TAG', vars: { tagName: tag.name } }),
  api: {
    mutation: 'addTag',
    description: 'Add a tag (administrators), which users then put on the VMs and hosts they may edit.',
    payload: { field: 'tag', type: 'Tag' },
  },
});
