// The user portal for daily work, in Chromium as a plain user (UserRole on her cluster's VMs, and
// VmCreator there, as oVirt asks of anyone who makes VMs): a new VM from a template she may use,
// a clone of one of her VMs (both then hers: the creator owns what she makes), and the list view
// for users with many VMs, sorted and searched with the tables' syntax.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
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

describe.skipIf(!runBrowserTests)('the user portal in Chromium, as a plain user', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let userId: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'up');
    const source = await mutate(t, 'addVm', { name: 'tpl-source', cluster: inv.cluster.id, memoryMb: 512 }, 'vm');
    await mutate(t, 'addTemplate', { vm: source.id, name: 'tpl-tiny', description: 'a small Linux' }, 'template');
    await mutate(t, 'addVm', { name: 'ulla-vm', cluster: inv.cluster.id, memoryMb: 768 }, 'vm');
    for (let i = 0; i < 120; i++)
      await mutate(
        t,
        'addVm',
        { name: `fleet${String(i).padStart(3, '0')}`, cluster: inv.cluster.id, memoryMb: 256 * (1 + (i % 3)) },
        'vm',
      );
    const roles: { id: string; name: string }[] = (await t.gql('{ roles { id name } }')).data.roles;
    const user = await mutate(t, 'addUser', { userName: 'ulla', password: 'ulla-pass-1' }, 'user');
    userId = user.id;
    for (const role of ['UserRole', 'VmCreator'])
      await mutate(
        t,
        'addPermission',
        { role: roles.find((r) => r.name === role)!.id, user: user.id, object: inv.cluster.id },
        'permission',
      );
    const token = await t.login('ulla', 'ulla-pass-1');
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await sessionPage(browser, token, 'ulla', { viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const card = (name: string) => page.locator('article.vm-card', { has: page.getByRole('heading', { name, exact: true }) });
  const findCard = async (name: string) => {
    await page.getByLabel('Find a VM').fill(name);
    await card(name).waitFor({ timeout: 15_000 });
  };
  const list = () => page.getByRole('table', { name: 'my virtual machines' });
  const names = () => list().locator('tbody tr td[data-col="name"]').allTextContents();

  it('makes a new VM from a template she may use; it is hers', async () => {
    await page.goto(`${server.origin}/portal/`);
    await page.getByRole('button', { name: 'Cards' }).click();
    await findCard('ulla-vm');
    await page.getByRole('button', { name: 'New VM' }).click();
    const dialog = page.getByRole('dialog', { name: 'New virtual machine' });
    await dialog.getByLabel('Name *').fill('ulla-new');
    await dialog.getByLabel('Template *').selectOption({ label: 'tpl-tiny — a small Linux' });
    const create = dialog.getByRole('button', { name: 'Create VM' });
    await expect.poll(() => create.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('portal-new-vm');
    await create.click();
    await dialog.waitFor({ state: 'detached' });
    await findCard('ulla-new');
    const vm = await t.engine.db.vm.findFirstOrThrow({ where: { name: 'ulla-new' }, include: { template: true } });
    expect(vm.template?.name).toBe('tpl-tiny');
    const owner = await t.engine.db.permission.findFirst({ where: { objectId: vm.id, role: { name: 'UserVmManager' } } });
    expect(owner?.userId).toBe(decodeGlobalID(userId).id);
  });

  it('clones one of her VMs from its card', async () => {
    await findCard('ulla-vm');
    await card('ulla-vm').getByRole('button', { name: 'Clone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clone ulla-vm' });
    expect(await dialog.getByLabel('Name of the clone *').inputValue()).toBe('ulla-vm-clone');
    const clone = dialog.getByRole('button', { name: 'Clone' });
    await expect.poll(() => clone.isEnabled(), { timeout: 15_000 }).toBe(true);
    await clone.click();
    await dialog.waitFor({ state: 'detached' });
    await findCard('ulla-vm-clone');
    expect(await card('ulla-vm-clone').textContent()).toContain('768 MiB');
  });

  it('lists her many VMs: sorted and paged by the engine, searched with the search syntax', async () => {
    await page.getByRole('button', { name: 'List' }).click();
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 15_000 }).toBe('1–50 of 124');
    await page.getByLabel('Search my VMs').fill('name=fleet1* status=down');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('1–20 of 20');
    expect((await names())[0]).toBe('fleet100');
    await list().locator('button[data-sort="NAME"]').click();
    await expect.poll(async () => (await names())[0]).toBe('fleet119');
    await page.getByLabel('Search my VMs').fill('colour=red');
    await expect.poll(() => page.getByTestId('search-problem').textContent()).toMatch(/^Unknown search key "colour"/);
    await page.getByLabel('Search my VMs').fill('name=ulla*');
    await expect.poll(names).toEqual(['ulla-vm-clone', 'ulla-vm', 'ulla-new']);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('portal-list');
    // The choice of view is kept.
    await page.reload();
    await list().waitFor();
  });
});
