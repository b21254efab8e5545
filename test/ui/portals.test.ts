// The admin and user portals in a real browser (Debian's Chromium) against a real engine.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp } from '../support/simulatedHosts.ts';
import { SHOTS, adminPage, buildUi, launchChromium, runBrowserTests, serveEngineWithUi, type UiServer } from './browser.ts';
import { chart, chartPoints, chartTip } from './charts.ts';

describe.skipIf(!runBrowserTests)('web portals in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  /** Variables of every GraphQL request the page made (urql sends queries as GET when short enough). */
  const graphqlVariables: Record<string, any>[] = [];

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    inv = await buildInventory(t, 'A');
    await mutate(t, 'addHost', { name: 'a-host1', address: '10.0.0.1', cluster: inv.cluster.id }, 'host');
    await mutate(t, 'addHost', { name: 'a-host2', address: '10.0.0.2', cluster: inv.cluster.id }, 'host');
    for (let i = 0; i < 30; i++)
      await mutate(
        t,
        'addVm',
        { name: `web-${String(i).padStart(2, '0')}`, cluster: inv.cluster.id, memoryMb: 1024 * (1 + (i % 4)) },
        'vm',
      );
    for (const name of ['db-01', 'db-02']) await mutate(t, 'addVm', { name, cluster: inv.cluster.id }, 'vm');
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    // Logged in as the administrator: the portals read the session token from localStorage.
    page = await adminPage(browser, t);
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname !== '/graphql') return;
      const vars =
        r.method() === 'GET' ? url.searchParams.get('variables') : JSON.stringify(JSON.parse(r.postData() ?? '{}').variables ?? {});
      graphqlVariables.push(JSON.parse(vars ?? '{}'));
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  it('logs in, and shows the coded error of a refused log-in', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const anonymous = await context.newPage();
    await anonymous.goto(`${server.origin}/`);
    const form = anonymous.getByRole('form', { name: 'Log in' });
    await form.getByLabel('User name').fill('admin');
    await form.getByLabel('Password').fill('wrong password');
    await form.getByRole('button', { name: 'Log in' }).click();
    await form.locator('[data-code]').waitFor();
    expect(await form.locator('[data-code]').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    await anonymous.screenshot({ path: path.join(SHOTS, 'login-refused.png') });
    await form.getByLabel('Password').fill(ADMIN_PASSWORD);
    await form.getByRole('button', { name: 'Log in' }).click();
    await anonymous.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await anonymous.locator('[data-testid="count-vms"] [data-testid="total"]').textContent()).toBe('32');
    // Who is logged in comes from `me`; Log out ends the session on the engine and shows the form again.
    await expect.poll(() => anonymous.getByTestId('session-user').textContent()).toBe('Administrator');
    expect(await anonymous.getByTestId('session-user').getAttribute('title')).toBe('admin@internal');
    const token = await anonymous.evaluate(() => localStorage.getItem('vireo.token'));
    await anonymous.getByRole('button', { name: 'Log out' }).click();
    await anonymous.getByRole('form', { name: 'Log in' }).waitFor();
    expect(await anonymous.evaluate(() => localStorage.getItem('vireo.token'))).toBeNull();
    expect((await t.gqlAs(token, '{ me { userName } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await context.close();
  });

  it('shows the inventory counts on the dashboard, with the live connection up', async () => {
    await page.goto(`${server.origin}/`);
    const total = (id: string) => page.locator(`[data-testid="${id}"] [data-testid="total"]`);
    await expect.poll(() => total('count-vms').textContent()).toBe('32');
    expect(await total('count-hosts').textContent()).toBe('2');
    expect(await total('count-clusters').textContent()).toBe('1');
    expect(await total('count-data-centers').textContent()).toBe('1');
    expect(await total('count-storage').textContent()).toBe('1');
    await page.locator('[data-live-state="up"]').waitFor();
    await page.getByRole('table', { name: 'events' }).locator('tbody tr').first().waitFor();
    // The tree opens from the keyboard: DC → cluster → hosts.
    const tree = page.getByRole('navigation', { name: 'System tree' });
    await tree.getByRole('button', { name: 'Expand A-dc' }).focus();
    await page.keyboard.press('Enter');
    await tree.getByRole('button', { name: 'Expand A-cluster' }).focus();
    await page.keyboard.press('Enter');
    await tree.getByRole('link', { name: 'a-host2' }).waitFor();
    await shot('dashboard');
  });

  it('filters, sorts and pages the VM table on the server', async () => {
    await page.goto(`${server.origin}/vms`);
    const table = page.getByRole('table', { name: 'virtual machines' });
    const names = () => table.locator('tbody tr td[data-col="name"]').allTextContents();
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('1–25 of 32');
    expect((await names())[0]).toBe('db-01');
    await shot('vms');

    graphqlVariables.length = 0;
    await page.keyboard.press('/');
    await page.keyboard.type('web-1');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('1–10 of 10');
    expect(graphqlVariables.some((v) => v.filter?.search === 'web-1')).toBe(true);

    await table.locator('button[data-sort="NAME"]').click();
    await expect.poll(async () => (await names())[0]).toBe('web-19');
    expect(graphqlVariables.some((v) => v.sortBy === 'NAME' && v.direction === 'DESC' && v.filter?.search === 'web-1')).toBe(true);
    await expect(table.locator('th[aria-sort="descending"]').textContent()).resolves.toContain('Name');

    await page.getByLabel('Search VMs').fill('');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('1–25 of 32');
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('26–32 of 32');
  });

  it('disables an action its dry run refuses, and says why', async () => {
    await page.goto(`${server.origin}/clusters/${inv.cluster.id}`);
    // The cluster's own Remove (the hosts table's rows have their own refusals).
    const header = page.locator('.detail-header');
    const remove = header.getByRole('button', { name: 'Remove' });
    await header.getByTestId('refused-reason').waitFor();
    expect(await remove.isDisabled()).toBe(true);
    expect(await header.getByTestId('refused-reason').textContent()).toContain('CLUSTER_HAS_HOSTS');
    expect(await header.getByTestId('refused-reason').textContent()).toContain('still has 2 host(s)');
    await page.getByRole('table', { name: 'hosts' }).locator('tbody tr[data-id]').first().waitFor();
    await shot('cluster-detail');
  });

  it('shows the coded error of a refused mutation', async () => {
    await page.goto(`${server.origin}/data-centers`);
    await page.getByRole('button', { name: 'New data center' }).click();
    const dialog = page.getByRole('dialog', { name: 'New data center' });
    await dialog.getByLabel('Name').fill('A-dc');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const alert = dialog.locator('[data-code]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('DATA_CENTER_NAME_ALREADY_USED');
    expect(await alert.textContent()).toContain('A-dc is already used');
    await shot('data-center-add-refused');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('adds a data center from its dialog', async () => {
    await page.getByRole('button', { name: 'New data center' }).click();
    const dialog = page.getByRole('dialog', { name: 'New data center' });
    await dialog.getByLabel('Name').fill('B-dc');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('main').getByRole('link', { name: 'B-dc' }).waitFor();
    expect(await t.engine.db.dataCenter.count({ where: { name: 'B-dc' } })).toBe(1);
  });

  it('shows VM and host detail pages with breadcrumbs', async () => {
    const vm = await t.gql(`{ vms(first: 1, filter: { nameContains: "db-01" }) { edges { node { id } } } }`);
    await page.goto(`${server.origin}/vms/${vm.data.vms.edges[0].node.id}`);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'A-cluster' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('db-01');
    await shot('vm-detail');
    // A host whose simulated agent reports every 100 ms: its page charts the samples as they come.
    const live = await addSimulatedHost(t, `${server.origin}/graphql`, inv.cluster.id, 'a-live');
    await hostsUp(t, [live]);
    await page.goto(`${server.origin}/hosts/${live.gid}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'a-live' }).waitFor();
    const cpu = chart(page, 'CPU');
    // The line grows with each sample, and moves with the host's load.
    await expect.poll(() => chartPoints(cpu), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await expect
      .poll(
        async () =>
          new Set([await chartTip(page, cpu, 0.01), await chartTip(page, cpu, 0.999)].map((x) => x.replace(/^.*(used)/, '$1'))).size,
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(1);
    await live.agent.stop();
    await shot('host-detail');
  });

  it('links an event to the object it is about', async () => {
    await page.goto(`${server.origin}/events`);
    const row = page.getByRole('table', { name: 'events' }).locator('tbody tr', { hasText: 'VM db-02 was created' });
    await row.getByRole('link', { name: 'VM' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'db-02' }).waitFor();
  });

  it('shows the VMs as cards in the user portal', async () => {
    await page.goto(`${server.origin}/portal/`);
    await expect.poll(() => page.locator('article.vm-card').count()).toBe(24);
    expect(await page.getByTestId('total').textContent()).toBe('32 VMs');
    await shot('portal');
  });

  it('on 5,000 VMs the table loads, filters and pages from the server (times printed; limits are bench work)', async () => {
    // 5,000 domains already running on a host that Vireo did not start: its agent's first report
    // makes them external VMs (as a hypervisor taken over from another manager would).
    const running = Array.from({ length: 5000 }, (_, i) => ({
      id: randomUUID(),
      name: `bulk-${String(i).padStart(4, '0')}`,
      memoryMb: 64,
      vcpus: 1,
      osType: 'other_linux',
    }));
    let started = performance.now();
    const bulk = await addSimulatedHost(t, `${server.origin}/graphql`, inv.cluster.id, 'a-bulk', { running }, 60_000);
    await expect
      .poll(async () => (await t.gql('{ vms(first: 1) { totalCount } }')).data?.vms.totalCount, { timeout: 120_000, interval: 500 })
      .toBe(5032);
    await bulk.agent.stop();
    const discovered = performance.now() - started;
    const total = page.getByTestId('total');
    started = performance.now();
    await page.goto(`${server.origin}/vms`);
    await expect.poll(() => total.textContent()).toBe('1–25 of 5,032');
    const firstPaint = performance.now() - started;
    started = performance.now();
    await page.getByLabel('Search VMs').fill('bulk-4999');
    await expect.poll(() => total.textContent()).toBe('1–1 of 1');
    const filtered = performance.now() - started;
    await page.getByLabel('Search VMs').fill('');
    await expect.poll(() => total.textContent()).toBe('1–25 of 5,032');
    started = performance.now();
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => total.textContent()).toBe('26–50 of 5,032');
    const paged = performance.now() - started;
    console.log(
      `5,000 VMs found on a host's first report in ${Math.round(discovered)} ms; 5,032 VMs: first page ${Math.round(firstPaint)} ms, filter ${Math.round(filtered)} ms (250 ms of it debounce), next page ${Math.round(paged)} ms`,
    );
    await shot('vms-5000');
  }, 240_000);

  it('shows when the live connection drops and when it comes back', async () => {
    await page.goto(`${server.origin}/`);
    await page.locator('[data-live-state="up"]').waitFor();
    const port = server.port;
    await server.stop();
    await page.locator('[data-live="down"]').waitFor({ timeout: 15_000 });
    await shot('connection-lost');
    server = await serveEngineWithUi(t, port);
    await page.locator('[data-live="restored"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-live-state="up"]').waitFor();
  });
});
