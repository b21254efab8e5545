// The portals' live updates in a real browser: agent reports move the charts and status badges,
// new events appear, and VMs started from the portals come Up — all without reloading the page.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { hello, hostWithToken, report, send } from '../monitoring/support.ts';
import { SimulatedHypervisor } from '../../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../../agent/session.ts';
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
import { chartPoints, chartTip } from './charts.ts';

describe.skipIf(!runBrowserTests)('live updates in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  /** A host whose agent messages the test sends itself, through the agent operations. */
  let manual: Awaited<ReturnType<typeof hostWithToken>>;
  const agents: Agent[] = [];

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    // No watchdog surprises: the manual host reports only when a test says so.
    t = await startTestEngine({ engine: { monitoring: { timeoutMs: 600_000 } } });
    manual = await hostWithToken(t, 'lh1');
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await stopBrowserTest(browser, server, t);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  /** Marks the loaded document; `stillSamePage()` is false after any reload or navigation. */
  const markPage = () =>
    page.evaluate(() => {
      (window as any).__vireoMark = true;
    });
  const stillSamePage = () => page.evaluate(() => (window as any).__vireoMark === true);
  const badge = (row: ReturnType<Page['locator']>) => row.locator('[data-status]').first().getAttribute('data-status');

  it('changes a host status badge when the host agent reports', async () => {
    await page.goto(`${server.origin}/hosts`);
    const row = page.getByRole('table', { name: 'hosts' }).locator('tbody tr', { hasText: 'lh1' });
    await row.waitFor();
    await page.locator('[data-live-state="up"]').waitFor();
    const before = await badge(row);
    expect(before).not.toBe('UP');
    await markPage();
    await new Promise((r) => setTimeout(r, 300)); // the row's hostUpdated subscription is listening
    expect((await send(t, 'hello', manual, hello)).errors).toBeUndefined();
    expect((await send(t, 'report', manual, report(1, []))).errors).toBeUndefined();
    await expect.poll(() => badge(row), { timeout: 10_000 }).toBe('UP');
    // The whole row comes with the change: the memory and CPUs the agent's hello told.
    await expect.poll(() => row.textContent()).toContain('64');
    expect(await row.locator('td').nth(5).textContent()).toBe('8');
    expect(await stillSamePage()).toBe(true);
    await shot('live-host-up');
  });

  it('moves the dashboard charts with each report', async () => {
    await page.goto(`${server.origin}/`);
    const cpu = page.locator('figure', { hasText: 'System CPU' });
    const memory = page.locator('figure', { hasText: 'System memory' });
    // report(1): 11% user + 2% system, 8000 of 65536 MB used — the stored sample comes first.
    await expect.poll(() => page.getByTestId('hosts-reporting').textContent(), { timeout: 10_000 }).toBe('1 host reporting');
    await expect.poll(() => cpu.locator('.legend').textContent()).toContain('13.0%');
    expect(await memory.locator('.legend').textContent()).toContain('12.2%');
    await markPage();
    const next = report(2, []);
    next.host = { ...next.host, cpuUserPercent: 70, cpuSysPercent: 5, cpuIdlePercent: 25, memUsedMb: 32768, memFreeMb: 32768 };
    expect((await send(t, 'report', manual, next)).errors).toBeUndefined();
    await expect.poll(() => cpu.locator('.legend').textContent(), { timeout: 10_000 }).toContain('75.0%');
    expect(await memory.locator('.legend').textContent()).toContain('50.0%');
    // Two samples now: the line rises from 13% to 75% (the tooltip at the start and at the end).
    expect(await chartPoints(cpu)).toBe(2);
    expect(await chartTip(page, cpu, 0.01)).toContain('13.0%');
    expect(await chartTip(page, cpu, 0.999)).toContain('75.0%');
    expect(await stillSamePage()).toBe(true);
    await shot('live-dashboard');
  });

  it('keeps the charts live across a dropped connection', async () => {
    await page.goto(`${server.origin}/`);
    const cpu = page.locator('figure', { hasText: 'System CPU' });
    await expect.poll(() => cpu.locator('.legend').textContent(), { timeout: 10_000 }).toContain('75.0%');
    await page.locator('[data-live-state="up"]').waitFor();
    await markPage();
    const port = server.port;
    await server.stop();
    await page.locator('[data-live="down"]').waitFor({ timeout: 15_000 });
    server = await serveEngineWithUi(t, port);
    await page.locator('[data-live="restored"]').waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 300)); // the subscriptions are sent again on the new connection
    const next = report(3, []);
    next.host = { ...next.host, cpuUserPercent: 30, cpuSysPercent: 3, cpuIdlePercent: 67 };
    expect((await send(t, 'report', manual, next)).errors).toBeUndefined();
    await expect.poll(() => cpu.locator('.legend').textContent(), { timeout: 10_000 }).toContain('33.0%');
    expect(await stillSamePage()).toBe(true);
  });

  it('shows new events, and the counts they change, as they are logged', async () => {
    await page.goto(`${server.origin}/`);
    const events = page.getByRole('table', { name: 'events' });
    await events.locator('tbody tr').first().waitFor();
    const dcs = page.locator('[data-testid="count-data-centers"] [data-testid="total"]');
    const count = Number(await dcs.textContent());
    await markPage();
    await new Promise((r) => setTimeout(r, 300)); // the events subscription is listening
    await mutate(t, 'addDataCenter', { name: 'live-dc' }, 'dataCenter');
    await events.locator('tbody tr', { hasText: 'live-dc' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => dcs.textContent(), { timeout: 10_000 }).toBe(String(count + 1));
    expect(await stillSamePage()).toBe(true);
    await shot('live-events');

    // The event log page too.
    await page.goto(`${server.origin}/events`);
    await page.getByRole('table', { name: 'events' }).locator('tbody tr', { hasText: 'live-dc' }).waitFor();
    await markPage();
    await new Promise((r) => setTimeout(r, 300));
    await mutate(t, 'addDataCenter', { name: 'later-dc' }, 'dataCenter');
    await page.getByRole('table', { name: 'events' }).locator('tbody tr', { hasText: 'later-dc' }).waitFor({ timeout: 10_000 });
    expect(await stillSamePage()).toBe(true);
  });

  describe('VM lifecycle', () => {
    let cluster: { id: string };
    let vmId: string;

    beforeAll(async () => {
      // Two hosts with simulated hypervisors whose agents connect to the served engine over graphql-ws.
      ({ cluster } = await buildInventory(t, 'sim'));
      const fabric = new Map<string, SimulatedHypervisor>();
      const hostIds: string[] = [];
      for (const name of ['sim-h1', 'sim-h2']) {
        const host = await mutate(t, 'addHost', { name, address: `${name}.example.org`, cluster: cluster.id }, 'host');
        const res = await t.gql(
          `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
          ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
          { input: { hostId: host.id } },
        );
        const driver = new SimulatedHypervisor({
          hostName: name,
          seed: hostIds.length + 1,
          memoryMb: 16384,
          sockets: 1,
          coresPerSocket: 8,
          bootMs: 1500,
          shutdownMs: 800,
          migrateMs: 2000,
          fabric,
        });
        agents.push(
          startAgent({
            engineUrl: `${server.origin}/graphql`,
            hostName: name,
            token: res.data.issueHostAgentToken.agentToken.token,
            driver,
            intervalMs: 300,
            log: () => {},
          }),
        );
        hostIds.push(Buffer.from(host.id, 'base64').toString().split(':')[1]!);
      }
      await vi.waitFor(
        async () => {
          const up = await t.engine.db.host.count({ where: { id: { in: hostIds }, status: 'UP' } });
          if (up !== 2 || !hostIds.every((id) => t.engine.hosts.isConnected(id))) throw new Error(`${up} of 2 hosts up`);
        },
        { timeout: 20_000, interval: 100 },
      );
      vmId = (await mutate(t, 'addVm', { name: 'sim-vm1', cluster: cluster.id, memoryMb: 1024 }, 'vm')).id;
    });

    it('runs a VM from its card in the user portal and shows it coming Up', async () => {
      await page.goto(`${server.origin}/portal/`);
      await page.getByLabel('Find a VM').fill('sim-vm1');
      const card = page.locator('article.vm-card', { hasText: 'sim-vm1' });
      await expect.poll(() => page.locator('article.vm-card').count()).toBe(1);
      expect(await badge(card)).toBe('DOWN');
      await card.hover();
      // The dry runs: a Down VM cannot be shut down or powered off.
      await expect.poll(() => card.getByRole('button', { name: 'Shutdown' }).isDisabled()).toBe(true);
      expect(
        await card.locator('[data-refused]', { has: page.getByRole('button', { name: 'Shutdown' }) }).getAttribute('data-refused'),
      ).toBe('VM_IS_NOT_RUNNING');
      expect(await card.getByRole('button', { name: 'Power off' }).isDisabled()).toBe(true);
      expect(await card.getByRole('button', { name: 'Run' }).isEnabled()).toBe(true);
      await markPage();
      const seen: string[] = [];
      const watching = (async () => {
        for (let i = 0; i < 300 && seen.at(-1) !== 'UP'; i++) {
          const s = await badge(card).catch(() => null);
          if (s && seen.at(-1) !== s) seen.push(s);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await card.getByRole('button', { name: 'Run' }).click();
      await card.locator('[data-job-status]').waitFor();
      await watching;
      expect(seen.at(-1)).toBe('UP');
      expect(seen).toContain('POWERING_UP');
      await expect
        .poll(
          () =>
            card
              .locator('[data-job-status]')
              .first()
              .getAttribute('data-job-status')
              .catch(() => 'GONE'),
          { timeout: 10_000 },
        )
        .toMatch(/FINISHED|GONE/);
      // Running, it has a console on its host.
      await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/VNC\s*sim-h[12]\.example\.org:59\d\d/);
      // Now Up: Run is refused, Shutdown allowed.
      await expect.poll(() => card.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
      // Each button asks its own dry run: Shutdown's answer may come after Run's.
      await expect.poll(() => card.getByRole('button', { name: 'Shutdown' }).isEnabled()).toBe(true);
      expect(await stillSamePage()).toBe(true);
      console.log(`portal card statuses seen: ${seen.join(' → ')}`);
      await shot('live-portal-vm-up');
    });

    it('migrates the VM to the chosen host and powers it off from its detail page', async () => {
      const from = (await t.engine.db.vm.findFirstOrThrow({ where: { name: 'sim-vm1' }, include: { host: true } })).host!.name;
      const to = from === 'sim-h1' ? 'sim-h2' : 'sim-h1';
      await page.goto(`${server.origin}/vms/${vmId}`);
      const header = page.locator('header.detail-header');
      await expect.poll(() => badge(header)).toBe('UP');
      await markPage();
      await expect.poll(() => page.getByRole('button', { name: 'Migrate' }).isEnabled()).toBe(true);
      await page.getByRole('button', { name: 'Migrate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Migrate sim-vm1' });
      await dialog.getByLabel('Destination host').selectOption({ label: to });
      await expect.poll(() => dialog.getByRole('button', { name: 'Migrate' }).isEnabled()).toBe(true);
      await shot('live-migrate-dialog');
      await dialog.getByRole('button', { name: 'Migrate' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
      await crumbs.getByRole('link', { name: to }).waitFor({ timeout: 20_000 });
      await expect.poll(() => badge(header), { timeout: 10_000 }).toBe('UP');

      await expect.poll(() => page.getByRole('button', { name: 'Power off' }).isEnabled()).toBe(true);
      await page.getByRole('button', { name: 'Power off' }).click();
      await page.getByRole('dialog', { name: 'Power off sim-vm1' }).getByRole('button', { name: 'Power off' }).click();
      await expect.poll(() => badge(header), { timeout: 15_000 }).toBe('DOWN');
      expect(await stillSamePage()).toBe(true);
      await shot('live-vm-detail-down');
    });

    it('shows the coded error when the engine refuses an action the page thought possible', async () => {
      // A VM in a cluster without hosts, whose Run dry run the page got as it was before (allowed,
      // as when a host left after the page asked): Run is enabled, and the engine refuses it.
      const { cluster: empty } = await buildInventory(t, 'empty');
      const vm = await mutate(t, 'addVm', { name: 'nowhere-vm', cluster: empty.id }, 'vm');
      await page.route(
        (url) => url.pathname === '/graphql',
        async (route) => {
          const r = route.request();
          if (!decodeURIComponent(r.url() + (r.postData() ?? '')).includes('VmActionChecks')) return route.continue();
          const response = await route.fetch();
          const json = await response.json();
          if (json.data?.canRunVm) json.data.canRunVm = { allowed: true, reasons: [] };
          return route.fulfill({ response, json });
        },
      );
      try {
        await page.goto(`${server.origin}/vms/${vm.id}`);
        await page.getByRole('heading', { level: 1 }).filter({ hasText: 'nowhere-vm' }).waitFor();
        await page.getByRole('button', { name: 'Run' }).click();
        const alert = page.locator('.lifecycle [data-code]');
        await alert.waitFor();
        expect(await alert.getAttribute('data-code')).toBe('VM_NO_HOST_AVAILABLE');
        await shot('live-run-refused');
      } finally {
        await page.unrouteAll();
      }
      // With the dry run answering, Run is disabled and says why.
      await page.reload();
      await expect.poll(() => page.getByRole('button', { name: 'Run' }).isDisabled(), { timeout: 10_000 }).toBe(true);
      expect(await page.locator('.lifecycle [data-refused]').first().getAttribute('data-refused')).toContain('VM_NO_HOST_AVAILABLE');
    });
  });
});
