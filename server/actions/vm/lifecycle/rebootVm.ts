import { vmVerb } from './verbs.ts';

export const rebootVm = vmVerb({
  type: 'RebootVm',
  verb: 'reboot',
  gerund: 'Rebooting',
  from: ['UP'],
  command: 'reboot',
  until: ['REBOOT_IN_PROGRESS', 'UP'],
  audit: 'USER_REBOOT_VM',
  mutation: 'rebootVm',
  description: 'Reboot the guest of a running VM.',
});
