// The portals with no internet and with the engine down, in Chromium against a real engine:
// GraphiQL loads every file from the engine; while the engine is unreachable actions are disabled
// with a reason, errors say so in words, menu clicks still open pages, and all is announced.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
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

describe.skipIf(!runBrowserTests)('portals offline in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let vmId: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'off');
    vmId = (await mutate(t, 'addVm', { name: 'off-vm', cluster: inv.cluster.id }, 'vm')).id;
    await mutate(t, 'addHost', { name: 'off-h1', address: '10.9.0.1', cluster: inv.cluster.id }, 'host');
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
  });
  afterAll(() => stopBrowserTest(browser, server, t));

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

  it('loads GraphiQL with every request answered by the engine (none leaves the machine)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const external: string[] = [];
    // No internet: anything not on the loopback is refused, as on an isolated management network.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.hostname !== '127.0.0.1') {
        external.push(url.href);
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const response = await page.goto(`${server.origin}/graphql`);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
    await page.locator('.graphiql-query-editor').first().waitFor();
    await page
      .getByRole('button', { name: /execute query/i })
      .first()
      .waitFor();
    await shot(page, 'graphiql-offline');
    expect(external).toEqual([]);
    expect(failed).toEqual([]);
    // Its files are the engine's, cached by the browser.
    const script = await fetch(`${server.origin}/graphql/graphiql/yoga-graphiql.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('max-age');
    expect((await fetch(`${server.origin}/graphql/graphiql/nothing.js`)).status).toBe(404);
    await context.close();
  });

  it('disables actions while the engine is down, says why, opens pages from the menu, and recovers', { timeout: 120_000 }, async () => {
    const page = await adminPage(browser, t);
    await page.goto(`${server.origin}/vms/${vmId}`);
    const remove = page.locator('.detail-header').getByRole('button', { name: 'Remove' });
    await poll(() => remove.isEnabled()).toBe(true);
    await page.locator('[data-live-state="up"]').waitFor();
    // The pages' code is fetched once the app is idle, so the menu works offline too.
    await page.waitForTimeout(2_500);

    const port = server.port;
    await server.stop();
    await page.locator('[data-live="down"]').waitFor({ timeout: 15_000 });
    await poll(() => remove.isDisabled()).toBe(true);
    expect(await remove.getAttribute('title')).toBe('The engine cannot be reached; actions are disabled until the connection is back.');
    await poll(() => page.getByTestId('announce-assertive').textContent()).toContain('Live connection to the engine lost');
    // A form sent anyway says what happened in words, not "Failed to fetch".
    await page.locator('.detail-header').getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: /off-vm/ });
    await dialog.getByRole('button', { name: 'Save' }).click();
    const alert = dialog.locator('[data-code]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('NETWORK_ERROR');
    expect(await alert.textContent()).toContain('The engine could not be reached');
    expect(await alert.textContent()).not.toContain('Failed to fetch');
    await poll(() => page.getByTestId('announce-assertive').textContent()).toContain('The engine could not be reached');
    await shot(page, 'offline-vm');
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);

    // A menu click still opens the page; its table says the engine is not reachable.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hosts' }).click();
    await page.getByRole('heading', { name: 'Hosts' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/hosts');
    await page.getByText('The engine is not reachable.').waitFor({ timeout: 15_000 });
    await shot(page, 'offline-hosts');

    server = await serveEngineWithUi(t, port);
    await page.locator('[data-live="restored"]').waitFor({ timeout: 20_000 });
    await poll(() => page.getByTestId('announce-polite').textContent()).toBe('Live connection restored.');
    // The page loads what it could not, without a reload.
    await page.getByRole('table', { name: 'hosts' }).locator('tbody tr', { hasText: 'off-h1' }).waitFor({ timeout: 20_000 });
    await page.goBack();
    await poll(() => remove.isEnabled()).toBe(true);
    await page.context().close();
  });
});
