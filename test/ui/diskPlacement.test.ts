// Moving and copying disks from the admin portal, in Chromium against a real engine with a
// simulated host (the data center's SPM): Move… and Copy… on the Disks page and on a VM's disk
// rows open a dialog listing the data center's data domains with their free space; the dry run
// answers for the one chosen; the disk's row then names its new domain, and a copy is a new disk.
// The same dialog in Simplified Chinese has no English left.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { GiB, buildInventory, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import {
  SHOTS,
  adminPage,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  sessionPage,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { englishLeft } from './englishLeft.ts';

describe.skipIf(!runBrowserTests)('moving and copying disks in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let host: SimHost;
  let vmId: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'dm');
    server = await serveEngineWithUi(t);
    host = await addSimulatedHost(t, `${server.origin}/graphql`, inv.cluster.id, 'dm-h1');
    await hostsUp(t, [host]);
    await mutate(
      t,
      'addStorageDomain',
      { name: 'dm-data2', dataCenter: inv.dc.id, path: 'nfs:/data2', capacityBytes: 50 * GiB },
      'storageDomain',
    );
    await mutate(t, 'addDisk', { alias: 'dm-float', storageDomain: inv.storage.id, provisionedSizeBytes: 1 * GiB }, 'disk');
    const disks = [{ alias: 'dm-vm_os', storageDomain: inv.storage.id, provisionedSizeBytes: 2 * GiB, bootable: true }];
    vmId = (await mutate(t, 'addVm', { name: 'dm-vm', cluster: inv.cluster.id, memoryMb: 512, disks }, 'vm')).id;
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 120_000);
  afterAll(async () => {
    await host?.agent.stop();
    await stopBrowserTest(browser, server, t);
  });

  const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });
  const diskRow = (alias: string) => page.getByRole('table', { name: 'disks' }).locator('tbody tr', { hasText: alias });
  const domainOf = async (alias: string) => {
    const r = await t.gql(`query($f: DiskFilter) { disks(first: 10, filter: $f) { edges { node { alias storageDomain { name } } } } }`, {
      f: { aliasContains: alias },
    });
    return r.data.disks.edges.map(
      (e: { node: { alias: string; storageDomain: { name: string } } }) => `${e.node.alias}@${e.node.storageDomain.name}`,
    );
  };

  it('moves a floating disk to the other data domain from the Disks page', async () => {
    await page.goto(`${server.origin}/disks`);
    await diskRow('dm-float').getByRole('button', { name: 'Move…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move disk dm-float' });
    await dialog.getByText('Now on storage domain dm-data.').waitFor();
    // The disk's own domain is no target; the other is chosen, with its free space.
    await poll(() => dialog.getByLabel('Target storage domain').locator('option').allTextContents()).toEqual(['dm-data2 (50.0 GiB free)']);
    await poll(() => dialog.getByRole('button', { name: 'Move' }).isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'disk-move-dialog.png') });
    await dialog.getByRole('button', { name: 'Move' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => diskRow('dm-float').locator('td').nth(3).textContent()).toBe('dm-data2');
    expect(await domainOf('dm-float')).toEqual(['dm-float@dm-data2']);
  });

  it('copies it under a new alias, to the domain chosen', async () => {
    await diskRow('dm-float').getByRole('button', { name: 'Copy…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy disk dm-float' });
    // A copy may stay on its domain: both are listed.
    await poll(() => dialog.getByLabel('Target storage domain').locator('option').count()).toBe(2);
    await dialog.getByLabel('Target storage domain').selectOption({ label: 'dm-data (100.0 GiB free)' });
    await dialog.getByLabel('Alias of the copy').fill('dm-float-copy');
    await poll(() => dialog.getByRole('button', { name: 'Copy' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => diskRow('dm-float-copy').locator('td').nth(3).textContent()).toBe('dm-data');
    expect((await domainOf('dm-float')).sort()).toEqual(['dm-float-copy@dm-data', 'dm-float@dm-data2']);
  });

  it('moves a Down VM’s disk from its row on the VM page', async () => {
    await page.goto(`${server.origin}/vms/${vmId}`);
    const row = page.getByRole('region', { name: 'Disks' }).locator('tr[data-disk="dm-vm_os"]');
    await row.getByRole('button', { name: 'Move…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move disk dm-vm_os' });
    await poll(() => dialog.getByRole('button', { name: 'Move' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Move' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => row.locator('td').nth(4).textContent()).toBe('dm-data2');
    expect(await domainOf('dm-vm_os')).toEqual(['dm-vm_os@dm-data2']);
  });

  it('shows the dialog in Simplified Chinese with no English left', async () => {
    const zh = await sessionPage(browser, t.adminToken, 'admin', { viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    await zh.goto(`${server.origin}/disks`);
    const row = zh.locator('tbody tr', { hasText: 'dm-float-copy' });
    await row.getByRole('button', { name: '移动…' }).click();
    const dialog = zh.getByRole('dialog', { name: '移动磁盘 dm-float-copy' });
    await poll(() => dialog.getByRole('button', { name: '移动' }).isEnabled()).toBe(true);
    expect(await englishLeft(zh, 'dialog[open]', ['dm', 'float', 'copy'])).toEqual([]);
    await zh.close();
  });
});
