// The change feed: `changes(after:)` reads what happened after a cursor from the database; the
// `changes` subscription replays it and then streams each new change, so a client that reconnects
// (to this engine or another) with its last cursor misses nothing. Each reader gets the entries
// about what their permissions show (server/changes/changeVisibility.ts).
import { RequestCache } from '@pothos/plugin-scope-auth';
import { filter, pipe } from 'graphql-yoga';
import { builder } from '../schema/builder.ts';
import { ChangePageRef, ChangeRef } from '../schema/types/change.ts';
import { FEED_START, formatCursor, parseCursor } from '../server/changes/changeCursor.ts';
import { readChanges, type ChangeRow } from '../server/changes/changeFeed.ts';
import { assertChangesKept } from '../server/changes/changeRetention.ts';
import { visibleChanges } from '../server/changes/changeVisibility.ts';
import { InputError } from '../server/errors.ts';

builder.queryFields((t) => ({
  changes: t.field({
    type: ChangePageRef,
    description:
      'The changes after `after` (from the oldest kept without it) that the reader may see, oldest first, at most `first` (1 to 1,000); fewer: the reader is caught up. CHANGES_CURSOR_EXPIRED when changes after `after` were pruned (VIREO_CHANGES_RETENTION_HOURS).',
    args: { after: t.arg.string({ required: false }), first: t.arg.int({ required: false, defaultValue: 100 }) },
    resolve: async (_r, args, ctx) => {
      const first = args.first ?? 100;
      if (first < 1 || first > 1000) throw new InputError([{ path: 'first', message: 'must be from 1 to 1000' }]);
      let at = args.after ? parseCursor(args.after) : FEED_START;
      if (args.after) await assertChangesKept(ctx.db, at);
      const v = await ctx.visibility();
      // Read on past entries the reader may not see, until `first` are found or the feed ends.
      const changes: ChangeRow[] = [];
      for (;;) {
        const batch = await readChanges(ctx.db, at, first);
        const shown = await visibleChanges(ctx.db, v, batch);
        changes.push(...shown.slice(0, first - changes.length));
        at = changes.length === first ? changes.at(-1)!.position : (batch.at(-1)?.position ?? at);
        if (changes.length === first || batch.length < first) break;
      }
      return { changes, cursor: formatCursor(at) };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  changes: t.field({
    type: ChangeRef,
    description:
      'Every change after `after` (read from the database), then each new one as it is committed, that the subscriber may see; without `after`, new ones only.',
    args: { after: t.arg.string({ required: false }) },
    subscribe: async (_r, args, ctx) => {
      const from = args.after ? parseCursor(args.after) : null;
      if (from) await assertChangesKept(ctx.db, from);
      return pipe(
        ctx.engine.changes.stream(from),
        filter(async (c: ChangeRow) => (await visibleChanges(ctx.db, await ctx.visibility(), [c])).length > 0),
      );
    },
    resolve: (c: ChangeRow, _a, ctx) => {
      RequestCache.clearForContext(ctx); // each change's event is authorized afresh, nothing kept per subscription
      return c;
    },
  }),
}));
