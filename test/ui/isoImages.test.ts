// An ISO domain's images in the admin portal, in Chromium: an image uploaded from a file picker
// lands whole on the domain, a file copied onto the domain by hand appears after Refresh, and
// Remove takes an image and its file away.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startPosixStorage, type PosixDomain, type PosixStorage } from '../support/posixStorage.ts';
import { makeIso } from '../support/isoFiles.ts';
import { SHOTS, adminPage, buildUi, launchChromium, runBrowserTests } from './browser.ts';

describe.skipIf(!runBrowserTests)('ISO images in the admin portal, in Chromium', () => {
  let storage: PosixStorage;
  let domain: PosixDomain;
  let browser: Browser;
  let page: Page;
  let work: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    storage = await startPosixStorage('PI', 'pi-host');
    domain = await storage.addDomain('PI-iso', 'ISO');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-ui-iso-'));
    browser = await launchChromium();
    page = await adminPage(browser, storage.t);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await storage?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const folder = () => path.join(domain.path, domain.id, 'images', '11111111-1111-1111-1111-111111111111');
  const table = () => page.getByRole('table', { name: 'ISO images' });
  const names = () => table().locator('td[data-col="name"]').allTextContents();

  it('uploads an image from a file picker; the host writes it whole on the domain', async () => {
    await page.goto(`${new URL(storage.url).origin}/storage/${encodeURIComponent(domain.gid)}`);
    await page.getByRole('heading', { name: 'ISO images' }).waitFor({ timeout: 15_000 });
    const iso = makeIso(work, 'rescue.iso', 'RESCUE', { 'readme.txt': 'rescue disk\n' });
    await page.getByLabel('ISO file').setInputFiles(iso);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['rescue.iso']);
    expect(fs.readFileSync(path.join(folder(), 'rescue.iso')).equals(fs.readFileSync(iso))).toBe(true);
    // Not an ISO 9660 image: refused with the engine's reason, nothing kept.
    const fake = path.join(work, 'fake.iso');
    fs.writeFileSync(fake, Buffer.alloc(64 * 1024, 1));
    await page.getByLabel('ISO file').setInputFiles(fake);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 15_000 })
      .toEqual([
        'Cannot upload ISO image: fake.iso is not an ISO 9660 image (no "CD001" volume descriptor at byte 32769); nothing was kept.',
      ]);
    expect(fs.readdirSync(folder())).toEqual(['rescue.iso']);
  });

  it('lists a file copied onto the domain by hand after Refresh, and removes an image with its file', async () => {
    fs.copyFileSync(makeIso(work, 'tools.iso', 'TOOLS', {}), path.join(folder(), 'tools.iso'));
    await page.getByRole('button', { name: 'Refresh from the domain' }).click();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['rescue.iso', 'tools.iso']);
    await page.screenshot({ path: path.join(SHOTS, 'iso-images.png'), fullPage: true });
    const row = table().locator('tr', { hasText: 'rescue.iso' });
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['tools.iso']);
    await expect.poll(() => fs.readdirSync(folder()), { timeout: 10_000 }).toEqual(['tools.iso']);
  });
});
