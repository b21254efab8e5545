// The portals' charts open with the last hour of stored samples, before any live sample, and
// the live samples continue the line: in a real browser, against a host that reported once a
// minute for the last hour and then went quiet.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { domain, hello, hostWithToken, report, send } from '../monitoring/support.ts';
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

describe.skipIf(!runBrowserTests)('charts from stored history in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let host: Awaited<ReturnType<typeof hostWithToken>>;
  let vm: { id: string };
  /** One sample a minute for the last 58 minutes, CPU rising from 10 % to 67 %. */
  const MINUTES = 58;
  /** The engine's monitoring clock while the past hour's reports arrive; the real time after. */
  let clock: number | undefined;
  /** hist-vm1 runs on hist-h1: an external VM, found by the host's first report. */
  const vmId = randomUUID();

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    // The agent reported once a minute for the last hour, each report stamped on the engine's
    // monitoring clock; then it went quiet (its next report comes in the live test below).
    t = await startTestEngine({ engine: { monitoring: { timeoutMs: 600_000, now: () => new Date(clock ?? Date.now()) } } });
    host = await hostWithToken(t, 'hist-h1');
    expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
    const start = Date.now() - MINUTES * 60_000;
    for (let i = 0; i < MINUTES; i++) {
      clock = start + i * 60_000;
      const r = report(0, [
        domain(vmId, 'hist-vm1', 'UP', {
          sample: { cpuPercent: 5 + i / 2, netRxBps: 1e4, netTxBps: 1e4, diskReadBps: 0, diskWriteBps: 0, uptimeSeconds: 60 * (i + 1) },
          guest: { hostname: '', ips: [], memUsedMb: 100 + 10 * i, applications: [], loggedInUser: '' },
        }),
      ]);
      r.host = { ...r.host, cpuUserPercent: 10 + i, cpuSysPercent: 0, cpuIdlePercent: 90 - i, cpuLoad: 1 };
      r.host = { ...r.host, memUsedMb: 1000 + 500 * i, memFreeMb: 64536 - 500 * i, netRxBps: 1e5, netTxBps: 5e4 };
      expect((await send(t, 'report', host, r)).errors).toBeUndefined();
    }
    clock = undefined;
    await t.engine.monitoring.history.flush();
    vm = (await t.gql('{ vms(first: 1, filter: { nameContains: "hist-vm1" }) { edges { node { id } } } }')).data.vms.edges[0].node;
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const chart = (title: string) => page.locator('figure', { has: page.locator('strong', { hasText: new RegExp(`^${title}$`) }) });
  /** The x of each point of the chart's first line. */
  const xs = async (figure: Locator) =>
    (await figure.locator('polyline').first().getAttribute('points'))!
      .trim()
      .split(' ')
      .map((p) => Number(p.split(',')[0]));
  const historyLoaded = () => page.locator('[data-history="loaded"]').first().waitFor({ timeout: 10_000 });
  /** Opens a page and waits for the chart to be drawn from the stored samples alone. */
  async function openWithHistory(url: string, title: string) {
    await page.goto(`${server.origin}${url}`);
    await historyLoaded();
    await expect.poll(async () => (await xs(chart(title))).length, { timeout: 10_000 }).toBe(MINUTES);
    return chart(title);
  }

  it("opens the dashboard with the hosts' last hour drawn, the latest sample once", async () => {
    const cpu = await openWithHistory('/', 'System CPU');
    expect(await cpu.locator('.legend').textContent()).toContain('67.0%');
    expect(await page.getByTestId('hosts-reporting').textContent()).toBe('1 host reporting');
    expect(await chart('System network').locator('.legend').first().textContent()).toContain('97.7 KiB/s');
    await shot('history-dashboard');
  });

  it("opens a VM's detail page with its last hour drawn", async () => {
    const memory = await openWithHistory(`/vms/${vm.id}`, 'Memory');
    expect(await memory.locator('.legend').textContent()).toContain('670 MiB');
    expect(await chart('CPU').locator('.legend').textContent()).toContain('34%'); // 5 + 57 / 2, rounded
    await shot('history-vm-detail');
  });

  it("opens a host's detail page with its last hour drawn, then adds each live sample once", async () => {
    const cpu = await openWithHistory(`/hosts/${host.hostGid}`, 'CPU');
    expect(await cpu.locator('.legend').textContent()).toContain('67%');
    const before = await xs(cpu);
    expect(before[0]).toBe(0);
    expect(before.at(-1)).toBe(300);
    await shot('history-host-detail');

    // The agent's next report: 11 % user + 2 % system, a minute after the last stored sample.
    await page.locator('[data-live-state="up"]').waitFor();
    await new Promise((r) => setTimeout(r, 300)); // the hostStats subscription is listening
    expect((await send(t, 'report', host, report(1, []))).errors).toBeUndefined();
    await expect.poll(() => cpu.locator('.legend').textContent(), { timeout: 10_000 }).toContain('13%');
    expect(await xs(cpu)).toHaveLength(MINUTES + 1);
    await shot('history-host-live');

    // Reopened once the sample is stored too: history ends with it, the subscription sends it
    // again first, and the chart holds it once.
    await t.engine.monitoring.history.flush();
    await page.reload();
    await historyLoaded();
    await expect.poll(() => cpu.locator('.legend').textContent(), { timeout: 10_000 }).toContain('13%');
    await new Promise((r) => setTimeout(r, 500));
    const after = await xs(cpu);
    expect(after).toHaveLength(MINUTES + 1);
    expect(new Set(after).size).toBe(after.length);
  });

  it('says when the history could not be read, keeps the charts, and retries', async () => {
    await page.route(
      (url) => url.pathname === '/graphql',
      (route) => (decodeURIComponent(route.request().url()).includes('HostStatsHistory') ? route.abort() : route.continue()),
    );
    try {
      await page.goto(`${server.origin}/hosts/${host.hostGid}`);
      const alert = page.getByRole('alert').filter({ hasText: 'Could not load the history' });
      await alert.waitFor({ timeout: 10_000 });
      await expect.poll(() => chart('CPU').locator('.legend').textContent(), { timeout: 10_000 }).toContain('13%'); // live still
      await shot('history-failed');
    } finally {
      await page.unrouteAll();
    }
    await page.getByRole('button', { name: 'Retry' }).click();
    await historyLoaded();
    await expect.poll(async () => (await xs(chart('CPU'))).length, { timeout: 10_000 }).toBe(MINUTES + 1);
    expect(await page.getByRole('alert').filter({ hasText: 'Could not load the history' }).count()).toBe(0);
  });
});
