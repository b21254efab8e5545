// Bulk actions on the hosts table and the global task drawer, in Chromium against a real engine
// with simulated hosts: hosts selected and sent to maintenance (after a confirmation), removed
// (each row's outcome: done, or refused with the engine's code), activated; a migration listed live
// in the drawer from any page and cancelled from there, the VM staying on its host.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { runVmUp, vmStatusIs } from '../support/vmPower.ts';
import { act, addVm, hostGid, startLab, vmRow, type Lab } from '../vm/lifecycleSupport.ts';
import { SHOTS, adminPage, buildUi, launchChromium, runBrowserTests } from './browser.ts';
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('bulk actions on hosts and the task drawer in Chromium', () => {
  let t: TestEngine;
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  let vm: { id: string; gid: string };

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    // Migrations take a minute: long enough to be seen and cancelled.
    lab = await startLab(t, 'bt', 3, { migrateMs: 60_000 });
    vm = await addVm(t, lab, 'bt-vm', { memoryMb: 512, guaranteedMemoryMb: 512 });
    await runVmUp(t, vm.gid, lab.hosts[0]!.id);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
  });

  const origin = () => new URL(lab.url).origin;
  const bar = () => page.getByRole('region', { name: 'Actions on the selected hosts' });
  const outcome = (name: string) => bar().locator(`li[data-host="${name}"]`);
  const table = () => page.getByRole('table', { name: 'hosts' });
  const hostStatus = async (name: string) => (await t.engine.db.host.findFirst({ where: { name } }))?.status ?? 'REMOVED';
  const select = async (...names: string[]) => {
    for (const name of names)
      await table()
        .getByRole('checkbox', { name: `Select ${name}` })
        .check();
  };

  it('sends the selected hosts to maintenance after a confirmation, removes one, refuses the Up one with its code, activates', async () => {
    await page.goto(`${origin()}/hosts`);
    await table().getByRole('link', { name: 'bt-h3' }).waitFor();
    await select('bt-h2', 'bt-h3');
    await bar().getByText('2 hosts selected').waitFor();
    await bar().getByRole('button', { name: 'Maintenance' }).click();
    await page.getByRole('dialog', { name: 'Maintenance 2 hosts?' }).getByRole('button', { name: 'Maintenance' }).click();
    for (const name of ['bt-h2', 'bt-h3'])
      await expect.poll(() => outcome(name).getAttribute('data-outcome'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => hostStatus('bt-h3'), { timeout: 30_000 }).toBe('MAINTENANCE');
    await expect.poll(() => hostStatus('bt-h2'), { timeout: 30_000 }).toBe('MAINTENANCE');

    await bar().getByRole('button', { name: 'Clear selection' }).click();
    await select('bt-h1', 'bt-h3');
    await bar().getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove 2 hosts?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => outcome('bt-h3').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => outcome('bt-h1').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('refused');
    expect(await outcome('bt-h1').textContent()).toMatch(/HOST_HAS_RUNNING_VMS Host bt-h1 is running 1 VM/);
    expect(await hostStatus('bt-h3')).toBe('REMOVED');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'hosts-bulk.png'), fullPage: true });

    await bar().getByRole('button', { name: 'Clear selection' }).click();
    await select('bt-h2');
    await bar().getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => outcome('bt-h2').getAttribute('data-outcome'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => hostStatus('bt-h2'), { timeout: 30_000 }).toBe('UP');
  });

  it('lists a running migration in the task drawer, live, and cancels it there: the VM stays on its host', async () => {
    await page.goto(`${origin()}/clusters`);
    const tasks = page.getByTestId('tasks-button');
    await expect.poll(() => tasks.textContent()).toMatch(/Tasks\s*0/);
    const r = await act(t, 'migrateVm', { id: vm.gid, host: hostGid(lab.hosts[1]!.id) });
    expect(r.__typename).toBe('MutationMigrateVmSuccess');
    await vmStatusIs(t, vm.gid, 'MIGRATING_FROM');
    await expect.poll(() => tasks.textContent(), { timeout: 15_000 }).toMatch(/Tasks\s*1/);
    await tasks.click();
    const drawer = page.getByRole('complementary', { name: 'Running tasks' });
    const job = drawer.locator('li', { hasText: 'Migrating VM bt-vm from host bt-h1' });
    await job.waitFor();
    await expect.poll(() => job.locator('[data-job-status]').getAttribute('data-job-status')).toBe('STARTED');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'task-drawer.png'), fullPage: true });
    const cancel = job.getByRole('button', { name: 'Cancel' });
    await expect.poll(() => cancel.isEnabled()).toBe(true);
    await cancel.click();
    await vmStatusIs(t, vm.gid, 'UP');
    await vi.waitFor(async () => expect((await vmRow(t, vm.id)).hostId).toBe(lab.hosts[0]!.id), { timeout: 10_000 });
    await expect.poll(() => drawer.getByText('Nothing is running.').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => tasks.textContent()).toMatch(/Tasks\s*0/);
  });
});
