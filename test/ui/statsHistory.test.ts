// The portals' charts (uPlot) over a chosen range, hour to year, read from the warehouse and
// continued live, in a real browser. The history is made the way agents make it: reports over
// the API, stamped by the engine's clock, which the test sets while it sends them (a year of
// reports cannot wait a year), then lets run with real time; the warehouse job rolls them up.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { domain, report, send } from '../monitoring/support.ts';
import { clocked, reportingHost } from '../warehouse/agentHistory.ts';
import {
  SHOTS,
  adminPage,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { chart as chartOf, chartPoints, chartTip } from './charts.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const vmId = '66666666-6666-4666-8666-666666666666';

describe.skipIf(!runBrowserTests)('charts over a range of stored history in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let host: Awaited<ReturnType<typeof reportingHost>>;
  let vmGid: string;
  /** The engine's clock: fixed while the test sends history, real time otherwise. */
  let fixed: number | null = null;
  const clock = {
    get at() {
      return fixed ?? Date.now();
    },
    set at(v: number) {
      fixed = v;
    },
  };
  const start = Date.now();
  /** A report every 30 days over the last year, every 12 hours between 2 and 6.5 days ago, every 2 minutes in the last 40 minutes. */
  const yearTimes = Array.from({ length: 11 }, (_, k) => start - (20 + 30 * (10 - k)) * DAY);
  const weekTimes = Array.from({ length: 10 }, (_, i) => start - 2 * DAY - (9 - i) * 12 * HOUR);
  const hourTimes = Array.from({ length: 20 }, (_, i) => start - 40 * MINUTE + i * 2 * MINUTE);
  const distinct = (times: number[], period: number) => new Set(times.map((x) => Math.floor(x / period))).size;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine({ engine: { monitoring: { ...clocked(clock).monitoring, timeoutMs: 600_000 } } });
    host = await reportingHost(t, clock, 'hist-h1', vmId);
    clock.at = yearTimes[0]! - HOUR;
    for (const [i, at] of [...yearTimes, ...weekTimes, ...hourTimes].entries()) await host.reportAt(at, 20 + (i % 60));
    await t.engine.monitoring.history.flush();
    fixed = null;
    await t.engine.warehouse.run();
    const vms = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { vms { edges { node { id } } } } } }`, { id: host.hostGid });
    vmGid = vms.data.node.vms.edges[0].node.id;
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 180_000);
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const chart = (title: string) => chartOf(page, title);
  const points = chartPoints;
  const range = (label: string) => page.getByRole('group', { name: 'Time range of the charts' }).getByRole('button', { name: label });
  async function pick(label: string) {
    await range(label).click();
    await expect.poll(() => range(label).getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-history="loaded"]').first().waitFor({ timeout: 10_000 });
  }

  it("opens a VM's page with the last hour, then a week and a year from the warehouse, with a tooltip", async () => {
    await page.goto(`${server.origin}/vms/${vmGid}`);
    const cpu = chart('CPU');
    await expect.poll(() => points(cpu), { timeout: 10_000 }).toBe(hourTimes.length);
    expect(await range('Hour').getAttribute('aria-pressed')).toBe('true');
    expect(await cpu.getByRole('img').getAttribute('aria-label')).toMatch(/^CPU, the last hour: 20 points from /);
    await shot('chart-vm-hour');

    await pick('Week');
    // Hourly rows: one per report 12 hours apart, and the hours of the last 40 minutes' samples.
    await expect.poll(() => points(cpu)).toBe(weekTimes.length + distinct(hourTimes, HOUR));
    expect(await cpu.getByRole('img').getAttribute('aria-label')).toMatch(/^CPU, the last week: \d+ points/);

    await pick('Year');
    // Daily rows: every day that had a report.
    await expect.poll(() => points(cpu)).toBe(distinct([...yearTimes, ...weekTimes, ...hourTimes], DAY));
    const label = await cpu.getByRole('img').getAttribute('aria-label');
    expect(label).toContain(`from ${new Date(yearTimes[0]!).toLocaleDateString('en-US')}`);

    // The tooltip says the time and the value under the pointer.
    expect(await chartTip(page, cpu, 0.98)).toMatch(/used \d+%/);
    await shot('chart-vm-year');

    await pick('Month');
    await expect.poll(() => points(cpu)).toBe(distinct([yearTimes.at(-1)!, ...weekTimes, ...hourTimes], HOUR));
    // A day of samples comes in at most 300 buckets (288 s each): the last 40 minutes in fewer points.
    await pick('Day');
    await expect.poll(() => points(cpu)).toBeGreaterThan(hourTimes.length / 3);
    expect(await points(cpu)).toBeLessThan(hourTimes.length);
  });

  it('continues the hour live from the stats subscription, each sample once', async () => {
    await pick('Hour');
    const cpu = chart('CPU');
    await expect.poll(() => points(cpu)).toBe(hourTimes.length);
    await page.locator('[data-live-state="up"]').waitFor();
    await new Promise((r) => setTimeout(r, 300)); // the vmStats subscription is listening
    await host.reportAt(Date.now(), 84); // the VM at 42 %
    fixed = null;
    await expect.poll(() => cpu.locator('.legend').textContent(), { timeout: 10_000 }).toContain('42%');
    expect(await points(cpu)).toBe(hourTimes.length + 1);
    await shot('chart-vm-live');
  });

  it("stops a VM's chart when the VM goes Down instead of showing its last values", async () => {
    const cpu = chart('CPU');
    const hostReport = (seq: number, domains: Parameters<typeof report>[1]) =>
      Object.assign(report(seq, domains), { host: { ...report(seq, []).host, cpuUserPercent: 20, cpuIdlePercent: 78 } });
    const r = hostReport(1_000, [domain(vmId, 'hist-h1-vm', 'DOWN', { exitReason: 'SHUTDOWN' })]);
    expect((await send(t, 'report', host, r)).errors).toBeUndefined();
    await expect.poll(() => cpu.getByTestId('chart-stopped').textContent(), { timeout: 10_000 }).toBe('VM is Down');
    expect(await cpu.locator('.legend').last().textContent()).toContain('used –');
    const before = await points(cpu);
    expect((await send(t, 'report', host, hostReport(1_001, []))).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await points(cpu)).toBe(before);
    await shot('chart-vm-down');
  });

  it("opens the dashboard and a host's page with their history, ranged the same way", async () => {
    await page.goto(`${server.origin}/`);
    const system = chart('System CPU');
    await expect.poll(() => points(system), { timeout: 10_000 }).toBeGreaterThanOrEqual(hourTimes.length);
    await shot('chart-dashboard');
    await page.goto(`${server.origin}/hosts/${host.hostGid}`);
    const hostCpu = chart('CPU');
    await expect.poll(() => points(hostCpu), { timeout: 10_000 }).toBeGreaterThanOrEqual(hourTimes.length);
    await pick('Year');
    await expect.poll(() => points(hostCpu)).toBe(distinct([...yearTimes, ...weekTimes, ...hourTimes, Date.now()], DAY));
    await shot('chart-host-year');
  });

  it('says when the history could not be read, keeps the charts live, and retries', async () => {
    await page.route(
      (url) => url.pathname === '/graphql',
      (route) => (decodeURIComponent(route.request().url()).includes('HostStatsHistory') ? route.abort() : route.continue()),
    );
    try {
      await page.goto(`${server.origin}/hosts/${host.hostGid}`);
      await page.getByRole('alert').filter({ hasText: 'Could not load the history' }).waitFor({ timeout: 10_000 });
      await shot('chart-history-failed');
    } finally {
      await page.unrouteAll();
    }
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-history="loaded"]').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => points(chart('CPU')), { timeout: 10_000 }).toBeGreaterThanOrEqual(hourTimes.length);
    expect(await page.getByRole('alert').filter({ hasText: 'Could not load the history' }).count()).toBe(0);
  });
});
