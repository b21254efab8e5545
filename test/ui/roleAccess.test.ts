// Who gets which portal, and what a card offers, in Chromium against a real engine: a plain
// UserRole user is sent from the admin portal to the VM portal, sees no "Administration" link and
// no Edit or Remove on her card; a card's buttons stay disabled until their dry runs have answered.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate, userWithRole } from '../support/inventory.ts';
import {
  SHOTS,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  sessionPage,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('portal access by role in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let aliceToken: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'ra');
    const vm = await mutate(t, 'addVm', { name: 'ra-vm1', cluster: inv.cluster.id }, 'vm');
    await mutate(t, 'addVm', { name: 'ra-other', cluster: inv.cluster.id }, 'vm');
    aliceToken = await userWithRole(t, 'ra-alice', 'UserRole', vm.id);
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
  });
  afterAll(() => stopBrowserTest(browser, server, t));

  const pageAs = (token: string, user: string): Promise<Page> =>
    sessionPage(browser, token, user, { viewport: { width: 1200, height: 800 } });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  it('sends a UserRole user from the admin portal to her VM portal, without an Administration link or Edit', async () => {
    const page = await pageAs(aliceToken, 'ra-alice');
    /** Whether the admin portal's dashboard was ever drawn (it must not be, not even empty). */
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="count-vms"], nav[aria-label="Main"]')) (window as any).__adminShown = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.origin}/`);
    await page.waitForURL(`${server.origin}/portal/`, { timeout: 15_000 });
    const card = page.locator('article.vm-card');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.locator('h2').textContent()).toBe('ra-vm1');
    expect(await page.getByTestId('total').textContent()).toBe('1 VM');
    // Her dry runs have answered: Run is decided, and Edit and Remove, which she may not do, are not offered.
    await expect.poll(() => card.locator('[data-pending]:visible').count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Run' }).isEnabled()).toBe(false);
    expect(await card.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await shot(page, 'role-userrole-portal');
    expect(await seriousViolations(page)).toEqual([]);

    // Back at / by hand: sent on again, and the admin portal was never drawn on the way.
    await page.goto(`${server.origin}/vms`);
    await page.waitForURL(`${server.origin}/portal/`, { timeout: 15_000 });
    expect(await page.evaluate(() => (window as any).__adminShown === true)).toBe(false);
    await page.context().close();
  });

  it("shows an administrator the Administration link and every card's Edit", async () => {
    const page = await pageAs(t.adminToken, 'admin');
    await page.goto(`${server.origin}/portal/`);
    await page.getByRole('link', { name: 'Administration' }).waitFor();
    const card = page.locator('article.vm-card', { hasText: 'ra-vm1' });
    await expect.poll(() => card.getByRole('button', { name: 'Edit' }).isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.context().close();
  });

  it('keeps card buttons disabled until their dry runs have answered', async () => {
    const page = await pageAs(aliceToken, 'ra-alice');
    // The dry runs of the power buttons are held back until the test lets them through.
    const held: Route[] = [];
    let holding = true;
    await page.route('**/graphql**', (route) => {
      const r = route.request();
      if (holding && (r.url().includes('VmActionChecks') || (r.postData() ?? '').includes('VmActionChecks'))) held.push(route);
      else void route.continue();
    });
    await page.goto(`${server.origin}/portal/`);
    const card = page.locator('article.vm-card');
    await card.first().waitFor();
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Hovering changes nothing: the buttons wait for the engine's answer, not for the pointer.
    await card.hover();
    for (const name of ['Run', 'Shutdown', 'Power off', 'Reboot']) {
      const button = card.getByRole('button', { name, exact: true });
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('aria-busy')).toBe('true');
    }
    await shot(page, 'role-card-pending');
    holding = false;
    for (const route of held.splice(0)) await route.continue();
    // A Down VM on a cluster without hosts: Run refused with the reason, Shutdown refused as it is Down.
    await expect.poll(() => card.locator('[data-pending]:visible').count(), { timeout: 10_000 }).toBe(0);
    expect(await card.locator('[data-refused]', { has: page.getByRole('button', { name: 'Shutdown' }) }).getAttribute('data-refused')).toBe(
      'VM_IS_NOT_RUNNING',
    );
    expect(await card.getByRole('button', { name: 'Shutdown' }).getAttribute('title')).toBe('VM ra-vm1 is DOWN; cannot shut it down.');
    await page.context().close();
  });
});
