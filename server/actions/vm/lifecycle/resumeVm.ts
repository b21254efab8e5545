import { vmVerb } from './verbs.ts';

export const resumeVm = vmVerb({
  type: 'ResumeVm',
  verb: 'resume',
  gerund: 'Resuming',
  from: ['PAUSED'],
  command: 'resume',
  until: ['UP'],
  audit: 'USER_RESUME_VM',
  mutation: 'resumeVm',
  description: 'Resume a paused VM. (A suspended VM is resumed with runVm.)',
});
