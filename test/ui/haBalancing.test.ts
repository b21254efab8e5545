// High availability and balancing in Chromium against a real engine with simulated hosts: the
// cluster's policy and thresholds edited beside the balance plan (power saving's power-offs and
// notes), affinity groups added, edited and removed (a refusal shown with its code), a host's
// power management (a fence agent added, Test asking the simulated BMC), and "Confirm host
// rebooted" on a NonResponsive host, each page checked with axe-core.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { untilNonResponsive } from '../support/watchdogWait.ts';
import { act, addVm, jobEnds, startLab, vmRow, type Lab } from '../vm/lifecycleSupport.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE, startSimulatedBmc, type SimulatedBmc } from '../../demo/simulatedBmc.ts';
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

describe.skipIf(!runBrowserTests)('high availability and balancing in Chromium', () => {
  let t: TestEngine;
  let lab: Lab;
  let bmc: SimulatedBmc;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  const vms: { id: string; gid: string }[] = [];

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine({ engine: { monitoring: { timeoutMs: 1500 }, fencing: { searchPath: [SIM_FENCE_DIR], timeoutMs: 20_000 } } });
    lab = await startLab(t, 'hab', 2);
    bmc = await startSimulatedBmc({ username: 'root', password: 'bmc-ui-2231' });
    for (const h of lab.hosts) bmc.plug(h.name, h.plug);
    for (const name of ['hab-web1', 'hab-web2'])
      vms.push(await addVm(t, lab, name, { memoryMb: 1024, guaranteedMemoryMb: 1024, cpuCores: 1 }));
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await lab?.stop();
    await bmc?.stop();
    await stopBrowserTest(browser, server, t);
  });

  const balancing = () => page.getByRole('region', { name: 'Balancing' });

  it('edits the policy and thresholds beside the balance plan', async () => {
    await page.goto(`${server.origin}/clusters/${lab.clusterGid}`);
    await balancing().getByRole('button', { name: 'Edit policy and thresholds' }).click();
    const dialog = page.getByRole('dialog', { name: 'Balancing of cluster hab-cluster' });
    await dialog.getByLabel('Scheduling policy').selectOption('POWER_SAVING');
    await dialog.getByLabel('Spare empty hosts').fill('0');
    await dialog.getByLabel('Power off after (minutes empty)').fill('5');
    // Bad input: the engine's refusal is shown with its code, nothing changes.
    await dialog.getByLabel('Low CPU threshold %').fill('90');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.locator('[data-code]').getAttribute('data-code')).toBe('CLUSTER_THRESHOLDS_INVALID');
    expect(await dialog.textContent()).toContain('The low utilization threshold (90 %) must be below the high one (80 %).');
    expect((await t.engine.db.cluster.findUniqueOrThrow({ where: { id: lab.clusterId } })).schedulingPolicy).toBe('evenly_distributed');
    await dialog.getByLabel('Low CPU threshold %').fill('15');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => balancing().textContent()).toContain('keeps no empty Up host; powers off the others after 5 min empty');
    expect(await balancing().textContent()).toContain('under-used below 15%');
    // The plan under power saving: neither host has power management yet.
    await expect
      .poll(() => balancing().textContent())
      .toContain('Host hab-h1 runs no VM but has no power management, so power saving cannot power it off.');
    expect(await t.engine.db.cluster.findUniqueOrThrow({ where: { id: lab.clusterId } })).toMatchObject({
      schedulingPolicy: 'power_saving',
      powerSavingSpareHosts: 0,
      powerSavingIdleMinutes: 5,
      lowUtilizationPercent: 15,
    });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'cluster-balancing.png'), fullPage: true });
  });

  it('adds, edits and removes an affinity group; a refused one says why', async () => {
    await page.goto(`${server.origin}/clusters/${lab.clusterGid}`);
    await balancing().getByRole('button', { name: 'New affinity group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New affinity group' });
    await dialog.getByLabel('Name').fill('web-apart');
    await dialog.getByLabel('VM-to-VM rule').selectOption('NEGATIVE');
    await dialog.getByRole('group', { name: 'VM-to-VM rule' }).getByLabel(/hard/).check();
    await dialog.getByLabel('hab-web1').check();
    await dialog.getByLabel('hab-web2').check();
    // A VM-to-host rule without hosts is refused.
    await dialog.getByLabel('VM-to-host rule').selectOption('POSITIVE');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.locator('[data-code]').getAttribute('data-code')).toBe('AFFINITY_GROUP_HOSTS_MISSING');
    expect(await dialog.textContent()).toContain('Affinity group web-apart keeps its VMs on its hosts but has none.');
    expect(await t.engine.db.affinityGroup.count()).toBe(0);
    await dialog.getByLabel('VM-to-host rule').selectOption('DISABLED');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const row = balancing().getByRole('row', { name: /web-apart/ });
    await expect.poll(() => row.textContent()).toContain('apart (hard)');
    expect(await row.textContent()).toContain('hab-web1, hab-web2');
    const group = await t.engine.db.affinityGroup.findFirstOrThrow({ where: { name: 'web-apart' }, include: { vms: true } });
    expect(group).toMatchObject({ vmPolarity: 'NEGATIVE', vmEnforcing: true, hostPolarity: 'DISABLED' });
    expect(group.vms).toHaveLength(2);

    // Edited: together, soft, one VM fewer.
    await row.getByRole('button', { name: 'Edit affinity group web-apart' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit affinity group web-apart' });
    expect(await edit.getByLabel('hab-web1').isChecked()).toBe(true);
    await edit.getByLabel('VM-to-VM rule').selectOption('POSITIVE');
    await edit.getByRole('group', { name: 'VM-to-VM rule' }).getByLabel(/hard/).uncheck();
    await edit.getByLabel('hab-web2').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => edit.count()).toBe(0);
    await expect.poll(() => row.textContent()).toContain('together (soft)');
    expect(await row.textContent()).not.toContain('hab-web2');
    expect(await t.engine.db.affinityGroupVm.count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'cluster-affinity.png'), fullPage: true });

    // Removed, after a confirmation.
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove affinity group web-apart' }).getByRole('button', { name: 'Remove' }).click();
    await expect
      .poll(() =>
        balancing()
          .getByRole('row', { name: /web-apart/ })
          .count(),
      )
      .toBe(0);
    expect(await t.engine.db.affinityGroup.count()).toBe(0);
  });

  const power = () => page.getByRole('region', { name: 'Power management' });

  it('adds a fence agent to a host and tests it against the BMC', async () => {
    const h1 = lab.hosts[0]!;
    await page.goto(`${server.origin}/hosts/${h1.gid}`);
    await expect.poll(() => power().textContent()).toContain('No fence agent');
    await power().getByRole('button', { name: 'Add fence agent' }).click();
    await power().getByLabel('Type').fill(SIM_FENCE_TYPE);
    await power().getByLabel('Address').fill(bmc.address);
    await power().getByLabel('Port').fill(h1.name);
    await power().getByLabel('User').fill('root');
    await power().getByLabel('Password').fill('bmc-ui-2231');
    await power().getByLabel('Options').fill(`ipport=${bmc.port}`);
    expect(await seriousViolations(page)).toEqual([]);
    await power().getByRole('button', { name: 'Add', exact: true }).click();
    const row = power().getByRole('row', { name: new RegExp(`fence_${SIM_FENCE_TYPE}`) });
    await expect.poll(() => row.textContent()).toContain('root (password set)');
    expect(await power().textContent()).not.toContain('bmc-ui-2231');
    await row.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => row.textContent()).toContain('power ON');
    expect(bmc.requests.at(-1)).toEqual({ action: 'status', plug: h1.name });
    // The cluster's plan now counts the host in: it has power management.
    await page.goto(`${server.origin}/clusters/${lab.clusterGid}`);
    await expect.poll(() => balancing().textContent()).toMatch(/Host hab-h1 runs no VM; it is powered off once it has run none for 5 min/);
  });

  it('confirms a NonResponsive host was rebooted: its VM goes Down', async () => {
    const h2 = lab.hosts[1]!;
    const vm = vms[1]!;
    expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: h2.gid })).result.job.id)).status).toBe('FINISHED');
    await h2.agent.stop();
    await untilNonResponsive(t, h2.id);
    await page.goto(`${server.origin}/hosts/${h2.gid}`);
    const button = power().getByRole('button', { name: 'Confirm host rebooted' });
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Confirm hab-h2 was rebooted' });
    expect(await dialog.textContent()).toContain('A VM still running there would run twice.');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Confirm host rebooted' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(async () => (await vmRow(t, vm.id)).status).toBe('DOWN');
    await expect.poll(() => page.textContent('main')).toContain('confirmed rebooted by admin');
    await page.screenshot({ path: path.join(SHOTS, 'host-confirm-rebooted.png'), fullPage: true });
  });
});
