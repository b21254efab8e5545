// The change feed: every event and object change has a cursor; `changes(after:)` reads what came
// after one from the database, and a subscriber that comes back with its last cursor gets what it
// missed, in order, then live changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInventory, mutate, userWithRole } from '../support/inventory.ts';
import { wsSubscribe } from '../support/subscriptions.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';

const PAGE = `query($after: String) { changes(after: $after, first: 1000) { cursor changes { cursor topic kind objectId event { code } } } }`;
const SUBSCRIBE = `subscription($after: String) { changes(after: $after) { cursor topic kind objectId event { code } } }`;

type Change = { cursor: string; topic: string; kind: string; objectId: string; event: { code: string } | null };

describe('change feed', () => {
  let t: TestEngine;
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    t = await startTestEngine();
    ({ url, stop } = await t.listen());
  });

  afterAll(async () => {
    await stop?.();
    await t?.close();
  });

  const page = async (after?: string): Promise<{ cursor: string; changes: Change[] }> => {
    const res = await t.gql(PAGE, { after });
    expect(res.errors).toBeUndefined();
    return res.data.changes;
  };

  it('lists events and object changes in order, each with a cursor that continues after it', async () => {
    const start = (await page()).cursor;
    const dc = await mutate(t, 'addDataCenter', { name: 'feed-dc' }, 'dataCenter');
    const after = await page(start);
    expect(after.changes.map((c) => [c.topic, c.kind])).toEqual([
      ['dataCenter', 'created'],
      ['event', 'created'],
    ]);
    expect(after.changes[0]!.objectId).toBe(dc.id);
    expect(after.changes[1]!.event?.code).toBe('USER_ADD_STORAGE_POOL');
    expect((await page(after.cursor)).changes).toEqual([]);
    expect((await page(after.changes[0]!.cursor)).changes).toEqual([after.changes[1]]);
  });

  it('refuses a malformed cursor as BAD_INPUT', async () => {
    const res = await t.gql(PAGE, { after: 'not-a-cursor' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });

  it('a subscriber back with its last cursor gets what it missed, then live changes', async () => {
    const first = wsSubscribe(url, t.adminToken, SUBSCRIBE, {});
    await new Promise((r) => setTimeout(r, 500)); // subscribed (new changes only)
    await mutate(t, 'addDataCenter', { name: 'feed-dc2' }, 'dataCenter');
    const seen: Change[] = [];
    for (let i = 0; i < 2; i++) seen.push((await first.next())!.data.changes);
    expect(seen.map((c) => c.topic)).toEqual(['dataCenter', 'event']);
    await first.client.dispose();
    // Missed while away: another data center and its event.
    const missedDc = await mutate(t, 'addDataCenter', { name: 'feed-dc3' }, 'dataCenter');
    const back = wsSubscribe(url, t.adminToken, SUBSCRIBE, { after: seen[1]!.cursor });
    const replayed: Change[] = [];
    for (let i = 0; i < 2; i++) replayed.push((await back.next())!.data.changes);
    expect(replayed.map((c) => [c.topic, c.objectId === missedDc.id || c.topic === 'event'])).toEqual([
      ['dataCenter', true],
      ['event', true],
    ]);
    expect(replayed).toEqual((await page(seen[1]!.cursor)).changes);
    // Then live.
    const live = await mutate(t, 'addDataCenter', { name: 'feed-dc4' }, 'dataCenter');
    expect((await back.next())!.data.changes.objectId).toBe(live.id);
    expect(await back.next(1500)).toMatchObject({ data: { changes: { topic: 'event' } } });
    expect(await back.next(1500)).toBeNull();
    await back.client.dispose();
  });

  it("a user reads the entries about what she may see, and nothing of others' objects", async () => {
    const inv = await buildInventory(t, 'FEED');
    const mine = await mutate(t, 'addVm', { name: 'feed-mine', cluster: inv.cluster.id }, 'vm');
    const token = await userWithRole(t, 'feed-user', 'UserRole', mine.id);
    const userPage = async (after?: string, first = 1000) => {
      const res = await t.gqlAs(
        token,
        `query($after: String, $first: Int) { changes(after: $after, first: $first) { cursor changes { cursor topic kind objectId event { code } } } }`,
        { after, first },
      );
      expect(res.errors).toBeUndefined();
      return res.data.changes as { cursor: string; changes: Change[] };
    };
    const start = (await page()).cursor;
    const live = wsSubscribe(url, token, SUBSCRIBE, { after: start });
    const other = await mutate(t, 'addVm', { name: 'feed-other', cluster: inv.cluster.id }, 'vm');
    await mutate(t, 'updateVm', { id: other.id, name: 'feed-other-renamed' }, 'vm');
    await mutate(t, 'updateVm', { id: mine.id, name: 'feed-mine-renamed' }, 'vm');
    await mutate(t, 'addDataCenter', { name: 'feed-elsewhere' }, 'dataCenter');

    // The administrator reads every entry; she reads her VM's change and its event, no more.
    const all = (await page(start)).changes;
    expect(all.some((c) => c.objectId === other.id)).toBe(true);
    const hers = (await userPage(start)).changes;
    expect(hers.map((c) => [c.topic, c.kind, c.topic === 'vm' ? c.objectId === mine.id : c.event?.code])).toEqual([
      ['vm', 'updated', true],
      ['event', 'created', 'USER_UPDATE_VM'],
    ]);
    // A page of one reads past what she may not see, and its cursor continues after what it gave.
    const one = await userPage(start, 1);
    expect(one.changes.map((c) => c.objectId)).toEqual([mine.id]);
    expect((await userPage(one.cursor)).changes.map((c) => c.topic)).toEqual(['event']);
    // The subscription replays the same two, then nothing of the others'.
    const streamed: Change[] = [];
    for (let i = 0; i < 2; i++) streamed.push((await live.next())!.data.changes);
    expect(streamed).toEqual(hers);
    await mutate(t, 'updateVm', { id: other.id, name: 'feed-other-again' }, 'vm');
    expect(await live.next(1500)).toBeNull();
    await live.client.dispose();
  });
});

describe('change feed retention', () => {
  let t: TestEngine;
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // Changes are kept one second here (a day by default), so the warehouse's next pass prunes them.
    t = await startTestEngine({ engine: { warehouse: { retention: { changeHours: 1 / 3600 } } } });
    ({ url, stop } = await t.listen());
  });

  afterAll(async () => {
    await stop?.();
    await t?.close();
  });

  const read = (after?: string) => t.gql(PAGE, { after });

  it('tells a client whose cursor is behind the pruned changes so, and resumes one that had them all', async () => {
    const start = (await read()).data.changes.cursor;
    await mutate(t, 'addDataCenter', { name: 'pruned-dc' }, 'dataCenter');
    const seen: { cursor: string; changes: Change[] } = (await read(start)).data.changes;
    expect(seen.changes).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await t.engine.warehouse.run()).deleted.changes).toBeGreaterThanOrEqual(2);

    // Away after the first of the two: the second is gone, and the client is told rather than given a hole.
    const behind = await read(seen.changes[0]!.cursor);
    expect(behind.data).toBeNull();
    expect(behind.errors?.[0]?.extensions?.code).toBe('CHANGES_CURSOR_EXPIRED');
    expect(behind.errors?.[0]?.message).toMatch(/^The change feed no longer holds what came after \d+-\d+/);
    const sub = wsSubscribe(url, t.adminToken, SUBSCRIBE, { after: seen.changes[0]!.cursor });
    expect(JSON.stringify(await sub.next())).toContain('CHANGES_CURSOR_EXPIRED');
    await sub.client.dispose();

    // A client that had everything pruned goes on from its cursor.
    const fresh = await mutate(t, 'addDataCenter', { name: 'after-prune-dc' }, 'dataCenter');
    const next = await read(seen.cursor);
    expect(next.errors).toBeUndefined();
    expect(next.data.changes.changes[0]).toMatchObject({ topic: 'dataCenter', kind: 'created', objectId: fresh.id });
  });
});
