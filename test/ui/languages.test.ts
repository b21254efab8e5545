// The portals' language in Chromium: a browser set to Chinese gets Simplified Chinese (the shell,
// navigation, tree and a VM's page), the switch changes it at once and is kept; English browsers get
// English. axe-core finds nothing serious in Chinese either.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
import { englishLeft as latinWordsLeft } from './englishLeft.ts';
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('English and Simplified Chinese in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let vmGid: string;
  /** The built-in roles' names (SuperUser, UserRole…): names, as in oVirt's Chinese portal. */
  let builtInRoles: string[];

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'lang');
    vmGid = (await mutate(t, 'addVm', { name: 'lang-vm', cluster: inv.cluster.id, nics: [{ name: 'nic1', network: inv.vmNet.id }] }, 'vm'))
      .id;
    await mutate(t, 'addHost', { name: 'lang-host', address: '10.7.0.1', cluster: inv.cluster.id }, 'host');
    await mutate(t, 'addTemplate', { vm: vmGid, name: 'lang-tpl' }, 'template');
    const user = await mutate(t, 'addUser', { userName: 'lang-user', password: 'lang-user-pass-1' }, 'user');
    const group = await mutate(t, 'addGroup', { name: 'lang-group' }, 'group');
    await mutate(t, 'addGroupMember', { group: group.id, user: user.id }, 'group');
    const role = await mutate(t, 'addRole', { name: 'lang-role', actionGroups: ['LOGIN'] }, 'role');
    await mutate(t, 'addPermission', { role: role.id, user: user.id }, 'permission');
    builtInRoles = ((await t.gql('{ roles { name builtIn } }')).data.roles as { name: string; builtIn: boolean }[])
      .filter((r) => r.builtIn)
      .map((r) => r.name);
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  /** The English left but names, the built-in roles' (SuperUser, UserRole…) included, as in oVirt's Chinese portal. */
  const englishLeft = (page: Page, root?: string, identifiers: string[] = []) =>
    latinWordsLeft(page, root, [...builtInRoles, ...identifiers]);
  const pageIn = (locale: string) => sessionPage(browser, t.adminToken, 'admin', { viewport: { width: 1280, height: 900 }, locale });

  it("follows a Chinese browser: shell, navigation, tree and a VM's page in Simplified Chinese", async () => {
    const page = await pageIn('zh-CN');
    await page.goto(`${server.origin}/vms/${vmGid}`);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '虚拟机' }).waitFor();
    expect(await nav.getByRole('link', { name: '仪表板' }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('navigation', { name: '系统树' }).getByRole('button', { name: '展开 lang-dc' }).waitFor();
    await page.getByRole('heading', { name: '网络接口' }).waitFor();
    await page.getByRole('table', { name: '网络接口' }).getByRole('cell', { name: 'nic1' }).waitFor();
    await page.getByRole('button', { name: '添加网卡' }).waitFor();
    await page.getByRole('region', { name: '电源' }).getByRole('button', { name: '运行' }).waitFor();
    expect(await page.getByText('模板', { exact: true }).count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh.png'), fullPage: true });

    // The switch: English at once, and kept after a reload.
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Network interfaces' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).waitFor();
    await page.context().close();
  });

  it('shows the Storage page in Chinese with no English left but names: headings, columns, badges, bulk bar, saved searches', async () => {
    const page = await pageIn('zh-CN');
    await page.goto(`${server.origin}/storage`);
    await page.getByRole('heading', { name: '存储域' }).waitFor();
    const table = page.getByRole('table', { name: '存储域' });
    await table.getByRole('link', { name: 'lang-data' }).waitFor();
    expect(await table.locator('td[data-col="status"]').textContent()).toBe('活动');
    expect(await table.locator('td[data-col="type"]').textContent()).toBe('数据 · NFS');
    await page.getByRole('region', { name: '对所选存储域的操作' }).waitFor();
    expect(await englishLeft(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-storage.png'), fullPage: true });
    await page.context().close();
  });

  // Each admin page in a Chinese browser: its heading, then a row of its table (so the cells and
  // the row's actions are drawn), and no English left.
  const pages = [
    { path: '/hosts', heading: '主机', table: '主机', row: 'lang-host', shot: 'hosts' },
    { path: '/clusters', heading: '集群', table: '集群', row: 'lang-cluster', shot: 'clusters' },
    { path: '/data-centers', heading: '数据中心', table: '数据中心', row: 'lang-dc', shot: 'data-centers' },
    { path: '/networks', heading: '逻辑网络', table: '网络', row: 'lang-vmnet', shot: 'networks' },
    { path: '/templates', heading: '模板', table: '模板', row: 'lang-tpl', shot: 'templates' },
    { path: '/admin/users', heading: '用户', table: '用户', row: 'lang-user', shot: 'users' },
    { path: '/admin/groups', heading: '组', table: '组', row: 'lang-group', shot: 'groups' },
    { path: '/admin/roles', heading: '角色', table: '角色', row: 'lang-role', shot: 'roles' },
    { path: '/admin/permissions', heading: '系统权限', table: '权限', row: 'lang-user', shot: 'permissions' },
    { path: '/events', heading: '事件', table: '事件', row: 'lang-dc', shot: 'events' },
    { path: '/jobs', heading: '作业', table: '作业', row: 'lang-tpl', shot: 'jobs' },
  ];
  for (const p of pages)
    it(`shows ${p.path} in Chinese with no English left but names`, async () => {
      const page = await pageIn('zh-CN');
      await page.goto(`${server.origin}${p.path}`);
      await page.getByRole('heading', { name: p.heading, exact: true }).waitFor();
      const row = page.getByRole('table', { name: p.table, exact: true }).getByRole('row').filter({ hasText: p.row }).first();
      await row.waitFor();
      await row.scrollIntoViewIfNeeded();
      // Buttons guarded by a dry run are drawn once it answers.
      await page.waitForFunction(() => !document.querySelector('[data-pending]'));
      expect(await englishLeft(page)).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `language-zh-${p.shot}.png`), fullPage: true });
      await page.context().close();
    });

  it("shows a VM's charts in Chinese: titles, ranges, legends and the empty state", async () => {
    const page = await pageIn('zh-CN');
    await page.goto(`${server.origin}/vms/${vmGid}`);
    const ranges = page.getByRole('group', { name: '图表的时间范围' });
    await ranges.getByRole('button', { name: '小时' }).waitFor();
    await page.locator('[data-history="loaded"]').getByText('最近一小时内没有样本。').first().waitFor();
    expect(await page.locator('[data-history] figcaption strong').allTextContents()).toEqual(['CPU', '内存', '网络']);
    expect(await englishLeft(page, '[data-history]')).toEqual([]);
    expect(await englishLeft(page, '[role="group"][aria-label="图表的时间范围"]')).toEqual([]);
    await ranges.getByRole('button', { name: '周' }).click();
    await page.locator('[data-history="loaded"][data-range="WEEK"]').getByText('最近一周内没有样本。').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-vm-charts.png'), fullPage: true });
    await page.context().close();
  });

  it('asks in Chinese before removing: the confirmation names the object in Chinese', async () => {
    const page = await pageIn('zh-CN');
    await page.goto(`${server.origin}/templates`);
    await page.getByRole('link', { name: 'lang-tpl' }).click();
    await page.getByRole('button', { name: '删除', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '删除模板 lang-tpl' });
    await dialog.getByText('删除模板 lang-tpl？此操作无法撤销。').waitFor();
    expect(await englishLeft(page, 'dialog[open]')).toEqual([]);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('shows the New VM dialog, its cloud-init interfaces included, in Chinese with no English left', async () => {
    // The operating systems are the engine's identifiers (rhel_9x64…), offered as they are.
    const systems: string[] = (await t.gql('{ operatingSystems }')).data.operatingSystems;
    const identifiers = systems.join(' ').match(/[A-Za-z]{2,}/g) ?? [];
    const page = await pageIn('zh-CN');
    await page.goto(`${server.origin}/vms`);
    await page.getByRole('button', { name: '新建虚拟机' }).click();
    const dialog = page.getByRole('dialog', { name: '新建虚拟机' });
    await dialog.getByRole('button', { name: '添加接口' }).click();
    await dialog.getByLabel('接口 1 寻址方式').selectOption('STATIC');
    await dialog.getByLabel('接口 1 静态地址').waitFor();
    await dialog.getByRole('button', { name: '保存' }).waitFor();
    await expect.poll(() => dialog.locator('select[name="osType"] option').count()).toBeGreaterThan(1);
    expect(await englishLeft(page, 'dialog[open]', identifiers)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-vm-dialog.png'), fullPage: true });
    await page.context().close();
  });

  it('gives an English browser English, and the user portal a switch too', async () => {
    const page = await pageIn('en-GB');
    await page.goto(`${server.origin}/vms`);
    await page.getByRole('heading', { name: 'Virtual machines' }).waitFor();
    await page.goto(`${server.origin}/portal/`);
    await page.getByRole('heading', { name: 'My virtual machines' }).waitFor();
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '我的虚拟机' }).waitFor();
    await page.getByRole('button', { name: '新建虚拟机' }).waitFor();
    await page.context().close();
  });
});
