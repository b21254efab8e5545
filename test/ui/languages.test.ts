// The portals' language in Chromium: a browser set to Chinese gets Simplified Chinese (the shell,
// navigation, tree and a VM's page), the switch changes it at once and is kept; English browsers get
// English. axe-core finds nothing serious in Chinese either.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { SHOTS, buildUi, launchChromium, runBrowserTests, serveEngineWithUi, stopBrowserTest, type UiServer } from './browser.ts';
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('English and Simplified Chinese in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let vmGid: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'lang');
    vmGid = (await mutate(t, 'addVm', { name: 'lang-vm', cluster: inv.cluster.id, nics: [{ name: 'nic1', network: inv.vmNet.id }] }, 'vm'))
      .id;
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  async function pageIn(locale: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
    await context.addInitScript(
      ([token]) => {
        localStorage.setItem('vireo.token', token!);
        localStorage.setItem('vireo.user', 'admin');
      },
      [t.adminToken],
    );
    return context.newPage();
  }

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
    // Every Latin word on the page (the navigation and tree included) is a name, a unit, a protocol
    // the language switch's "English" or the administrator's display name.
    const text = await page.locator('#app').evaluate((app) => {
      const walk = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
      const parts: string[] = [];
      while (walk.nextNode()) parts.push(walk.currentNode.nodeValue ?? '');
      return parts.join(' ');
    });
    const words = text.match(/[A-Za-z]{2,}/g) ?? [];
    const names = ['lang', 'dc', 'data', 'vm', 'NFS', 'GiB', 'Vireo', 'English', 'Administrator'];
    expect([...new Set(words)].filter((w) => !names.includes(w))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-storage.png'), fullPage: true });
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
