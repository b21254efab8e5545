// Change CD in the user portal, in Chromium as a VM's user (UserRole on it: CHANGE_VM_CD, not
// EDIT_VM_PROPERTIES): her card lists the ISO images of the VM's data center, and picking one
// changes the medium of the running VM on its host at once; she is offered no Edit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { mutate } from '../support/inventory.ts';
import { startPosixStorage, type PosixStorage } from '../support/posixStorage.ts';
import { makeIso, uploadIso } from '../support/isoFiles.ts';
import { runVmUp } from '../support/vmPower.ts';
import { SHOTS, buildUi, launchChromium, runBrowserTests, sessionPage } from './browser.ts';

describe.skipIf(!runBrowserTests)('Change CD in the user portal, in Chromium', () => {
  let storage: PosixStorage;
  let browser: Browser;
  let page: Page;
  let vm: string;
  let work: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    storage = await startPosixStorage('PC', 'pc-host');
    const t = storage.t;
    const isoDomain = await storage.addDomain('PC-iso', 'ISO');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-portal-cd-'));
    for (const name of ['install.iso', 'drivers.iso']) {
      const r = await uploadIso(storage.url, t.adminToken, isoDomain.gid, name, fs.readFileSync(makeIso(work, name, 'CD', {})));
      if (r.status !== 201) throw new Error(`upload of ${name}: ${JSON.stringify(r.body)}`);
    }
    vm = (await mutate(t, 'addVm', { name: 'vera-vm', cluster: storage.inv.cluster.id, memoryMb: 512 }, 'vm')).id;
    await runVmUp(t, vm);
    const role = (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === 'UserRole').id;
    const vera = await mutate(t, 'addUser', { userName: 'vera', password: 'vera-pass-1' }, 'user');
    await mutate(t, 'addPermission', { role, user: vera.id, object: vm }, 'permission');
    const token = await t.login('vera', 'vera-pass-1');
    browser = await launchChromium();
    page = await sessionPage(browser, token, 'vera', { viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await storage?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const runningCdrom = async () => {
    const xml = await storage.host.driver.currentDescription(decodeGlobalID(vm).id);
    return /<disk type="file" device="cdrom">[\s\S]*?<\/disk>/.exec(xml)?.[0] ?? '';
  };

  it('lists the data center’s ISO images on her card and changes the running VM’s CD', async () => {
    await page.goto(`${new URL(storage.url).origin}/portal/`);
    const card = page.locator('article.vm-card', { has: page.getByRole('heading', { name: 'vera-vm', exact: true }) });
    await card.waitFor({ timeout: 15_000 });
    const select = card.getByLabel('ISO image in the CD-ROM');
    await select.waitFor({ timeout: 15_000 });
    expect(await select.locator('option').allTextContents()).toEqual(['Empty', 'drivers.iso', 'install.iso']);
    await select.selectOption({ label: 'install.iso' });
    const change = card.getByRole('button', { name: 'Change CD' });
    await expect.poll(() => change.isEnabled(), { timeout: 10_000 }).toBe(true);
    await change.click();
    await expect.poll(runningCdrom, { timeout: 10_000 }).toMatch(/<source file="[^"]*\/install\.iso"\/>/);
    await change.waitFor({ state: 'detached', timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, 'portal-change-cd.png'), fullPage: true });
    // Ejected from the card: the drive of the running VM is empty.
    await select.selectOption({ label: 'Empty' });
    await change.click();
    await expect.poll(runningCdrom, { timeout: 10_000 }).not.toContain('<source');
    // Changing the CD is hers; editing the VM is not offered.
    expect(await card.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  });
});
