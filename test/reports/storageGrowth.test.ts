// The storage growth report: the warehouse samples each storage domain's space on every pass (here
// at chosen times on its clock), disks added through the API fill the domain, and the report
// shows the growth, its trend per day and the days left until full; others' domains stay hidden.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate, userWithRole } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';

const REPORT = `query($from: DateTime!, $to: DateTime, $cluster: ID) {
  report(kind: STORAGE_GROWTH, from: $from, to: $to, cluster: $cluster) { title columns { key unit } rows { cells } chart { bars { label value } } } }`;
const DAY = 86_400_000;
const clock = { at: Date.now() };
let t: TestEngine;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
let inv: Awaited<ReturnType<typeof buildInventory>>;
/** Three days ago, on the half hour. */
const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * DAY + 1_800_000;
let usedAtStart: number;

const used = async () =>
  Number(
    (await t.gql(`query($id: ID!) { node(id: $id) { ... on StorageDomain { usedBytes } } }`, { id: inv.storage.id })).data.node.usedBytes,
  );
/** A warehouse pass at `at` on its clock. */
const passAt = async (at: number) => {
  clock.at = at;
  await t.engine.warehouse.run();
};
const addDisk = (alias: string, bytes: number) =>
  mutate(t, 'addDisk', { alias, storageDomain: inv.storage.id, provisionedSizeBytes: bytes, format: 'RAW', sparse: false }, 'disk');

beforeAll(async () => {
  t = await startTestEngine({ engine: { warehouse: { now: () => new Date(clock.at) } } });
  inv = await buildInventory(t, 'G');
  storageHost = await startStorageHost(t, inv.cluster.id, 'g-host');
  usedAtStart = await used();
  await passAt(start);
  await addDisk('g-10', 10 * GiB);
  await passAt(start + DAY);
  await addDisk('g-20', 20 * GiB);
  await passAt(start + 2 * DAY);
  clock.at = Date.now();
});
afterAll(async () => {
  await storageHost?.stop();
  await t?.close();
});

it('shows each domain’s growth over the window, its trend per day and the days until full', async () => {
  expect(await used()).toBe(usedAtStart + 30 * GiB);
  const r = (await t.gql(REPORT, { from: new Date(start - DAY).toISOString(), to: new Date().toISOString() })).data.report;
  expect(r.title).toBe('Storage growth');
  expect(r.columns.map((c: { key: string }) => c.key)).toEqual([
    'storageDomain',
    'dataCenter',
    'type',
    'capacity',
    'usedAtStart',
    'usedAtEnd',
    'growth',
    'growthTrend',
    'daysUntilFull',
  ]);
  const g = (bytes: number) => String(Math.round((bytes / GiB) * 100) / 100);
  // Used 0, 10 and 30 GiB more a day apart: 30 GiB of growth, a trend of 15 GiB a day.
  const free = (100 * GiB - usedAtStart - 30 * GiB) / GiB;
  expect(r.rows).toEqual([
    { cells: ['G-data', 'G-dc', 'DATA', '100', g(usedAtStart), g(usedAtStart + 30 * GiB), '30', '15', String(Math.floor(free / 15))] },
  ]);
  expect(r.chart.bars).toEqual([{ label: 'G-data', value: 30 }]);
});

it('counts only the window: growth before it is not in it', async () => {
  const r = (await t.gql(REPORT, { from: new Date(start + DAY / 2).toISOString(), to: new Date().toISOString() })).data.report;
  expect(r.rows[0].cells.slice(4, 7)).toEqual([
    String(Math.round(((usedAtStart + 10 * GiB) / GiB) * 100) / 100),
    String(Math.round(((usedAtStart + 30 * GiB) / GiB) * 100) / 100),
    '20',
  ]);
});

it("covers the domains of a cluster's data center when asked for one cluster", async () => {
  const other = await buildInventory(t, 'H');
  const from = new Date(start - DAY).toISOString();
  const names = async (cluster: string) => (await t.gql(REPORT, { from, cluster })).data.report.rows.map((r: any) => r.cells[0]);
  expect(await names(inv.cluster.id)).toEqual(['G-data']);
  expect(await names(other.cluster.id)).toEqual(['H-data']);
});

it('shows a user only the storage domains she may see', async () => {
  const vm = await mutate(t, 'addVm', { name: 'g-vm', cluster: inv.cluster.id }, 'vm');
  const user = await userWithRole(t, 'gina', 'UserRole', vm.id);
  const r = (await t.gqlAs(user, REPORT, { from: new Date(start - DAY).toISOString() })).data.report;
  expect(r.rows).toEqual([]);
});
