// The change feed: `changes(after:)` reads what happened after a cursor from the database; the
// `changes` subscription replays it and then streams each new change, so a client that reconnects
// (to this engine or another) with its last cursor misses nothing. Whole-system, so for users
// holding a System grant.
import { RequestCache } from '@pothos/plugin-scope-auth';
import { builder } from '../schema/builder.ts';
import { ChangePageRef, ChangeRef } from '../schema/types/change.ts';
import { FEED_START, formatCursor, parseCursor } from '../server/changes/changeCursor.ts';
import { readChanges, type ChangeRow } from '../server/changes/changeFeed.ts';
import { assertChangesKept } from '../server/changes/changeRetention.ts';
import { InputError } from '../server/errors.ts';

const systemWide = { visible: (v: { all: boolean }) => v.all };

builder.queryFields((t) => ({
  changes: t.field({
    type: ChangePageRef,
    authScopes: systemWide,
    description:
      'The changes after `after` (from the oldest kept without it), oldest first, at most `first` (1 to 1,000). CHANGES_CURSOR_EXPIRED when changes after `after` were pruned (VIREO_CHANGES_RETENTION_HOURS).',
    args: { after: t.arg.string({ required: false }), first: t.arg.int({ required: false, defaultValue: 100 }) },
    resolve: async (_r, args, ctx) => {
      const first = args.first ?? 100;
      if (first < 1 || first > 1000) throw new InputError([{ path: 'first', message: 'must be from 1 to 1000' }]);
      const from = args.after ? parseCursor(args.after) : FEED_START;
      if (args.after) await assertChangesKept(ctx.db, from);
      const changes = await readChanges(ctx.db, from, first);
      return { changes, cursor: changes.length ? changes[changes.length - 1]!.cursor : formatCursor(from) };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  changes: t.field({
    type: ChangeRef,
    authScopes: systemWide,
    description:
      'Every change after `after` (read from the database), then each new one as it is committed; without `after`, new ones only.',
    args: { after: t.arg.string({ required: false }) },
    subscribe: async (_r, args, ctx) => {
      const from = args.after ? parseCursor(args.after) : null;
      if (from) await assertChangesKept(ctx.db, from);
      return ctx.engine.changes.stream(from);
    },
    resolve: (c: ChangeRow, _a, ctx) => {
      RequestCache.clearForContext(ctx); // each change's event is authorized afresh, nothing kept per subscription
      return c;
    },
  }),
}));
