import { builder } from '../builder.ts';
import {
  ActionFailedError,
  ForbiddenError,
  UnauthenticatedError,
  InputError,
  LockedError,
  NotFoundError,
  ValidationError,
  type VireoError,
  type Reason,
} from '../../server/errors.ts';

export const ErrorInterface = builder.interfaceRef<VireoError>('Error').implement({
  description: 'Why an action did not happen. Nothing was changed.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code', { description: 'Stable code to branch on, e.g. VM_IS_RUNNING, LOCKED, NOT_FOUND.' }),
  }),
});

export const ReasonRef = builder.objectRef<Reason>('Reason').implement({
  description: 'One reason an action is refused.',
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const InputIssue = builder.objectRef<{ path: string; message: string }>('InputIssue').implement({
  fields: (t) => ({ path: t.exposeString('path'), message: t.exposeString('message') }),
});

builder.objectType(InputError, {
  name: 'InputError',
  description: 'The input is malformed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [InputIssue], resolve: (e) => e.issues }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ objectType: t.exposeString('objectType'), objectId: t.exposeString('objectId') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: "The action's checks refused it; `reasons` lists each failed check.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ reasons: t.field({ type: [ReasonRef], resolve: (e) => e.reasons }) }),
});

builder.objectType(LockedError, { name: 'LockedError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(ForbiddenError, { name: 'ForbiddenError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(UnauthenticatedError, { name: 'UnauthenticatedError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(ActionFailedError, {
  name: 'ActionFailedError',
  description: 'The action started and failed; what it had done was undone. The event log says why.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.exposeString('reason') }),
});

export const ActionCheckRef = builder.objectRef<Reason[]>('ActionCheck').implement({
  description: 'Whether an action would run now (a dry run of every check), and if not, why.',
  fields: (t) => ({
    allowed: t.boolean({ resolve: (reasons) => reasons.length === 0 }),
    reasons: t.field({ type: [ReasonRef], resolve: (reasons) => reasons }),
  }),
});
