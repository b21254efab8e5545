// Bulk actions on the storage domains, templates and users tables, in Chromium against a real
// engine: rows selected, the action confirmed where it asks, and each row's outcome shown (done,
// or refused with the engine's code and reason), the engine's state following.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { GiB, buildInventory, mutate } from '../support/inventory.ts';
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
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('bulk actions on storage domains, templates and users in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'bk');
    for (const name of ['bk-extra1', 'bk-extra2'])
      await mutate(t, 'addStorageDomain', { name, dataCenter: inv.dc.id, path: `nfs:/${name}`, capacityBytes: 10 * GiB }, 'storageDomain');
    const source = await mutate(t, 'addVm', { name: 'tpl-source', cluster: inv.cluster.id }, 'vm');
    await mutate(t, 'addTemplate', { vm: source.id, name: 'tpl-a' }, 'template');
    const used = await mutate(t, 'addTemplate', { vm: source.id, name: 'tpl-b' }, 'template');
    await mutate(t, 'addVmFromTemplate', { template: used.id, cluster: inv.cluster.id, name: 'from-b' }, 'vm');
    for (const userName of ['alice', 'bob']) await mutate(t, 'addUser', { userName, password: `${userName}-pass-1` }, 'user');
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  const bar = (many: string) => page.getByRole('region', { name: `Actions on the selected ${many}` });
  const select = async (table: string, ...names: string[]) => {
    for (const name of names)
      await page
        .getByRole('table', { name: table })
        .getByRole('checkbox', { name: `Select ${name}` })
        .check();
  };
  const outcome = (many: string, attr: string, name: string) => bar(many).locator(`li[data-${attr}="${name}"]`);
  /** The names of what the API lists (`storageDomains`, `templates`). */
  const names = async (query: string) =>
    ((await t.gql(`{ ${query} { edges { node { name } } } }`)).data[query].edges as { node: { name: string } }[]).map((e) => e.node.name);

  it('removes the selected storage domains after a confirmation, refusing the master domain with its code', async () => {
    await page.goto(`${server.origin}/storage`);
    await select('storage domains', 'bk-data', 'bk-extra1');
    const storage = bar('storage domains');
    await storage.getByText('2 storage domains selected').waitFor();
    await storage.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove 2 storage domains?' }).getByRole('button', { name: 'Remove' }).click();
    const row = (name: string) => outcome('storage domains', 'storage-domain', name);
    await expect.poll(() => row('bk-extra1').getAttribute('data-outcome')).toBe('done');
    await expect.poll(() => row('bk-data').getAttribute('data-outcome')).toBe('refused');
    expect(await row('bk-data').textContent()).toMatch(/STORAGE_DOMAIN_IS_MASTER Storage Domain bk-data is the master domain/);
    expect((await names('storageDomains')).sort()).toEqual(['bk-data', 'bk-extra2']);
    await expect
      .poll(() => page.getByRole('table', { name: 'storage domains' }).locator('tbody td[data-col="name"] a').allTextContents())
      .toEqual(['bk-data', 'bk-extra2']);
    // The removed domain left the selection; the refused one is still selected and counted.
    await storage.getByText('1 storage domain selected').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Select bk-data' }).isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'storage-bulk.png'), fullPage: true });
  });

  it('removes the selected templates, refusing the one a VM uses with its code', async () => {
    await page.goto(`${server.origin}/templates`);
    await select('templates', 'tpl-a', 'tpl-b');
    await bar('templates').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove 2 templates?' }).getByRole('button', { name: 'Remove' }).click();
    const row = (name: string) => outcome('templates', 'template', name);
    await expect.poll(() => row('tpl-a').getAttribute('data-outcome')).toBe('done');
    await expect.poll(() => row('tpl-b').getAttribute('data-outcome')).toBe('refused');
    expect(await row('tpl-b').textContent()).toMatch(/TEMPLATE_IN_USE Template tpl-b is used by VM\(s\) from-b/);
    expect(await names('templates')).toEqual(['tpl-b']);
    await bar('templates').getByText('1 template selected').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'templates-bulk.png'), fullPage: true });
  });

  it('disables the selected users after a confirmation, enables one, removes one and refuses admin@internal', async () => {
    const active = async () =>
      Object.fromEntries(
        (
          (await t.gql('{ users { edges { node { userName active } } } }')).data.users.edges as {
            node: { userName: string; active: boolean };
          }[]
        ).map((e) => [e.node.userName, e.node.active]),
      );
    const table = page.getByRole('table', { name: 'users' });
    const state = (name: string) => table.locator('tbody tr', { hasText: name }).locator('td[data-col="active"]').textContent();
    const users = bar('users');
    const row = (name: string) => outcome('users', 'user', name);
    await page.goto(`${server.origin}/admin/users`);
    await select('users', 'alice', 'bob');
    await users.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog', { name: 'Disable 2 users?' }).getByRole('button', { name: 'Disable' }).click();
    for (const name of ['alice', 'bob']) await expect.poll(() => row(name).getAttribute('data-outcome')).toBe('done');
    expect(await active()).toMatchObject({ alice: false, bob: false, admin: true });
    await expect.poll(() => state('alice')).toBe('Disabled');

    await users.getByRole('button', { name: 'Clear selection' }).click();
    await select('users', 'alice');
    await users.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => row('alice').getAttribute('data-outcome')).toBe('done');
    expect(await active()).toMatchObject({ alice: true, bob: false });
    await expect.poll(() => state('alice')).toBe('Enabled');

    await users.getByRole('button', { name: 'Clear selection' }).click();
    await select('users', 'bob', 'admin');
    await users.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove 2 users?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row('bob').getAttribute('data-outcome')).toBe('done');
    await expect.poll(() => row('admin').getAttribute('data-outcome')).toBe('refused');
    expect(await row('admin').textContent()).toMatch(/USER_IS_ADMIN User admin@internal cannot be removed\./);
    expect(Object.keys(await active()).sort()).toEqual(['admin', 'alice']);
    // bob left the selection: the bar and its buttons count admin alone.
    await users.getByText('1 user selected').waitFor();
    await users.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove 1 user?' }).getByRole('button', { name: 'Cancel' }).click();
    await users.getByRole('button', { name: 'Clear selection' }).click();
    // A selection removed whole leaves nothing selected and the buttons disabled.
    await select('users', 'alice');
    await users.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove 1 user?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row('alice').getAttribute('data-outcome')).toBe('done');
    await users.getByText('Select users to act on several at once').waitFor();
    expect(await users.getByRole('button', { name: 'Remove' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'users-bulk.png'), fullPage: true });
  });
});
