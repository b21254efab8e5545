import { vmVerb } from './verbs.ts';

export const pauseVm = vmVerb({
  type: 'PauseVm',
  verb: 'pause',
  gerund: 'Pausing',
  from: ['UP'],
  command: 'pause',
  until: ['PAUSED'],
  audit: 'USER_PAUSE_VM',
  mutation: 'pauseVm',
  description: 'Pause a running VM (it keeps its memory on the host).',
});
