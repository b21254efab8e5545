import { vmVerb } from './verbs.ts';

export const suspendVm = vmVerb({
  type: 'HibernateVm',
  verb: 'suspend',
  gerund: 'Suspending',
  from: ['UP', 'PAUSED'],
  command: 'hibernate',
  until: ['SUSPENDED'],
  audit: 'USER_SUSPEND_VM',
  mutation: 'suspendVm',
  description: 'Suspend a VM to disk: its memory is saved and it stops running; runVm restores it.',
});
