// Bulk actions on the VMs page, in Chromium against a real engine with a simulated host: rows
// selected, one action run on each, each row's outcome shown (done, or refused with the code).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { vmStatusIs, runVmUp } from '../support/vmPower.ts';
import { addVm, startLab, type Lab } from '../vm/lifecycleSupport.ts';
import { SHOTS, adminPage, buildUi, launchChromium, runBrowserTests } from './browser.ts';

describe.skipIf(!runBrowserTests)('bulk actions on the VM table in Chromium', () => {
  let t: TestEngine;
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  const vms: Record<string, { gid: string }> = {};

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    lab = await startLab(t, 'bulk', 1);
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c', 'bulk-d'])
      vms[name] = await addVm(t, lab, name, { memoryMb: 512, guaranteedMemoryMb: 512 });
    await runVmUp(t, vms['bulk-c']!.gid);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
  });

  const origin = () => new URL(lab.url).origin;
  const outcome = (name: string) => page.locator(`li[data-vm="${name}"]`);
  const bar = () => page.getByRole('region', { name: 'Actions on the selected VMs' });

  it('runs the selected VMs, each with its outcome: the one already running is refused with its code', async () => {
    await page.goto(`${origin()}/vms`);
    const table = page.getByRole('table', { name: 'virtual machines' });
    await table.getByRole('link', { name: 'bulk-a' }).waitFor();
    expect(await bar().getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c']) await table.getByRole('checkbox', { name: `Select ${name}` }).check();
    await bar().getByText('3 VMs selected').waitFor();
    await bar().getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => outcome('bulk-a').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => outcome('bulk-b').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => outcome('bulk-c').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('refused');
    expect(await outcome('bulk-c').textContent()).toMatch(/VM_IS_RUNNING .*bulk-c/);
    expect(await outcome('bulk-d').count()).toBe(0); // not selected, not touched
    await page.screenshot({ path: path.join(SHOTS, 'bulk-run.png'), fullPage: true });
    await vmStatusIs(t, vms['bulk-a']!.gid, 'UP');
    await vmStatusIs(t, vms['bulk-b']!.gid, 'UP');
    await vmStatusIs(t, vms['bulk-d']!.gid, 'DOWN');
  });

  it('powers off every VM of the page after a confirmation, and says which were not running', async () => {
    const table = page.getByRole('table', { name: 'virtual machines' });
    await bar().getByRole('button', { name: 'Clear selection' }).click();
    await table.getByRole('checkbox', { name: 'Select all virtual machines on this page' }).check();
    await bar().getByText('4 VMs selected').waitFor();
    await bar().getByRole('button', { name: 'Power off' }).click();
    const dialog = page.getByRole('dialog', { name: 'Power off 4 VMs?' });
    await dialog.getByRole('button', { name: 'Power off' }).click();
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c'])
      await expect.poll(() => outcome(name).getAttribute('data-outcome'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => outcome('bulk-d').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('refused');
    expect(await outcome('bulk-d').textContent()).toContain('VM_IS_NOT_RUNNING');
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c']) await vmStatusIs(t, vms[name]!.gid, 'DOWN');
    await page.screenshot({ path: path.join(SHOTS, 'bulk-power-off.png'), fullPage: true });
  });
});
