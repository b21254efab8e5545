import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nameFree } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { domain } from './userParams.ts';

export const addGroup = defineAction({
  type: 'AddGroup',
  title: 'add Group',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ name: z.string().min(1).max(256), domain }),
  locks: (p) => [lockKey('GroupName', `${p.domain}/${p.name}`)],
  async validate({ tx }, p) {
    return [nameFree((await tx.group.count({ where: { domain: p.domain, name: p.name } })) > 0, 'Group', p.name, p.domain)];
  },
  execute: ({ tx }, p) => tx.group.create({ data: p }),
  audit: (g) => ({ code: 'GROUP_ADDED', vars: { groupName: `${g.name}@${g.domain}` } }),
  api: {
    mutation: 'addGroup',
    description: 'Add a local group, or a directory group to grant permissions to.',
    payload: { field: 'group', type: 'Group' },
  },
});
