// What an administrator trips on in daily work, in Chromium against a real engine with two
// simulated hosts: refusal reasons naming every host, disks without the volumes under them,
// confirmations that hand focus back, status filters in words, pages usable at 1024×768, and no
// serious or critical axe-core violation on the main pages.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { axeViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)('admin portal daily work in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  const hosts: SimHost[] = [];
  const vms: Record<string, string> = {};

  const gqlOk = async (query: string, variables: Record<string, unknown>) => {
    const r = await t.gql(query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  const vmStatus = async (name: string) => (await t.engine.db.vm.findFirstOrThrow({ where: { name } })).status;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    inv = await buildInventory(t, 'dw');
    server = await serveEngineWithUi(t);
    for (const name of ['dw-h1', 'dw-h2'])
      hosts.push(await addSimulatedHost(t, `${server.origin}/graphql`, inv.cluster.id, name, { memoryMb: 32768, bootMs: 300 }));
    await hostsUp(t, hosts);
    const disk = (alias: string) => [{ alias, storageDomain: inv.storage.id, provisionedSizeBytes: 1 * GiB, bootable: true }];
    const addVm = async (name: string, extra: Record<string, unknown> = {}) => {
      vms[name] = (await mutate(t, 'addVm', { name, cluster: inv.cluster.id, memoryMb: 512, ...extra }, 'vm')).id;
    };
    // A VM whose NIC is on a network no host has.
    await addVm('dw-net', { nics: [{ name: 'nic1', network: inv.vmNet.id }] });
    // A snapshot of a Down VM: a volume under its disk.
    await addVm('dw-snap', { disks: disk('dw-snap_os') });
    await mutate(t, 'createSnapshot', { vm: vms['dw-snap'], description: 'before' }, 'snapshot');
    // A template made from a VM: its disk belongs to the template.
    await addVm('dw-source', { disks: disk('dw-source_os') });
    await gqlOk(`mutation($i: AddTemplateInput!) { addTemplate(input: $i) { __typename ... on Error { code message } } }`, {
      i: { vm: vms['dw-source'], name: 'dw-tpl' },
    });
    // A running VM's snapshot with its memory: a memory dump volume.
    await addVm('dw-mem', { disks: disk('dw-mem_os') });
    await gqlOk(`mutation($id: ID!) { runVm(input: { id: $id }) { __typename } }`, { id: vms['dw-mem'] });
    await vi.waitFor(
      async () => {
        if ((await vmStatus('dw-mem')) !== 'UP') throw new Error('not up');
      },
      { timeout: 30_000, interval: 200 },
    );
    await vi.waitFor(
      async () => {
        if ((await t.engine.db.template.count({ where: { name: 'dw-tpl', status: 'OK' } })) !== 1) throw new Error('template not made');
      },
      { timeout: 30_000, interval: 200 },
    );
    const withMemory = await gqlOk(
      `mutation($i: CreateSnapshotInput!) { createSnapshot(input: $i) { __typename ... on Error { code message } } }`,
      { i: { vm: vms['dw-mem'], description: 'with memory', withMemory: true } },
    );
    expect(withMemory.createSnapshot.__typename).toBe('MutationCreateSnapshotSuccess');
    await vi.waitFor(
      async () => {
        if ((await t.engine.db.snapshot.count({ where: { withMemory: true, status: 'OK' } })) !== 1) throw new Error('no memory snapshot');
      },
      { timeout: 30_000, interval: 200 },
    );
    await mutate(t, 'addDisk', { alias: 'dw-floating', storageDomain: inv.storage.id, provisionedSizeBytes: 1 * GiB }, 'disk');
    await mutate(t, 'addUser', { userName: 'dw-bob', password: 'dw-bob-pass-1' }, 'user');
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.agent.stop()));
    await stopBrowserTest(browser, server, t);
  });

  const shot = (name: string, p: Page = page) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

  it('says why Run is refused with every host named, in whole sentences', async () => {
    await page.goto(`${server.origin}/vms/${vms['dw-net']}`);
    const refusals = page.locator('.lifecycle').getByTestId('refusals');
    await poll(() => refusals.textContent()).toContain('HOST_LACKS_NETWORK');
    const lines = await refusals.locator('li').allTextContents();
    await shot('daily-reasons');
    const network = lines.find((l) => l.startsWith('HOST_LACKS_NETWORK'))!;
    expect(network).toMatch(/^HOST_LACKS_NETWORK Run, Migrate: /);
    expect(network).toContain('Host dw-h1 lacks network dw-vmnet.');
    expect(network).toContain('Host dw-h2 lacks network dw-vmnet.');
    expect(lines).toContain('VM_NO_HOST_AVAILABLE Run: No host can run VM dw-net.');
    expect(lines).toContain('VM_NO_HOST_AVAILABLE Migrate: No host can receive VM dw-net.');
    expect(lines.join('\n')).not.toMatch(/:\.|Run, Run/);
    // One line for what the status refuses, said once ("cannot shut it down", "cannot reboot it" … fold into it).
    const notRunning = lines.filter((l) => l.startsWith('VM_IS_NOT_RUNNING'));
    expect(notRunning).toHaveLength(1);
    expect(notRunning[0]).toMatch(/^VM_IS_NOT_RUNNING Shutdown, .*Reboot.*: VM dw-net is DOWN\.$/);
  });

  it('lists disks, not the volumes under them: no snapshot volume or memory dump, template disks as such', async () => {
    await page.goto(`${server.origin}/disks`);
    const table = page.getByRole('table', { name: 'disks' });
    const row = (alias: string) => table.locator('tbody tr', { has: page.getByRole('cell', { name: alias, exact: true }) });
    await row('dw-floating').waitFor();
    const aliases = await table.locator('tbody tr td:first-child').allTextContents();
    expect(aliases.filter((a) => a === 'dw-snap_os')).toHaveLength(1);
    expect(aliases.filter((a) => a === 'dw-mem_os')).toHaveLength(1);
    expect(aliases.some((a) => /Memory_Dump/.test(a))).toBe(false);
    expect(await row('dw-snap_os').textContent()).toContain('dw-snap');
    const templateDisks = table.locator('tbody tr', { hasText: 'Template dw-tpl' });
    expect(await templateDisks.count()).toBe(1);
    await shot('daily-disks');
    await page.getByLabel('Floating only').check();
    await poll(() => table.locator('tbody tr td:first-child').allTextContents()).toEqual(['dw-floating']);
  });

  it('shows status filters in words, as the badges do', async () => {
    for (const [where, select] of [
      ['/vms', 'virtual machines'],
      ['/hosts', 'hosts'],
      ['/jobs', 'jobs'],
    ] as const) {
      await page.goto(`${server.origin}${where}`);
      await page.getByRole('table', { name: select }).waitFor();
      const options = await page.getByLabel('Filter by status').locator('option').allTextContents();
      expect(options.length).toBeGreaterThan(3);
      expect(options.filter((o) => /_|^[A-Z]{2,}$/.test(o))).toEqual([]);
    }
    expect(await page.getByLabel('Filter by status').locator('option').allTextContents()).toContain('Finished');
  });

  it('confirms Maintenance and Disable, and hands focus back to the button after the dialog', async () => {
    await page.goto(`${server.origin}/hosts`);
    const hostRow = page.getByRole('table', { name: 'hosts' }).locator('tbody tr', { hasText: 'dw-h1' });
    const maintenance = hostRow.getByRole('button', { name: 'Maintenance' });
    await poll(() => maintenance.isEnabled()).toBe(true);
    await maintenance.click();
    const dialog = page.getByRole('dialog', { name: 'Maintenance of dw-h1' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('live-migrated');
    await shot('daily-maintenance-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Maintenance');
    expect(await t.engine.db.host.findFirstOrThrow({ where: { name: 'dw-h1' }, select: { status: true } })).toEqual({ status: 'UP' });
    // Escape closes it as well, and focus comes back the same way.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    await poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Maintenance');

    await page.goto(`${server.origin}/admin/users`);
    const bob = page.getByRole('table', { name: 'users' }).locator('tbody tr', { hasText: 'dw-bob' });
    const disable = bob.getByRole('button', { name: 'Disable' });
    await poll(() => disable.isEnabled()).toBe(true);
    await disable.click();
    const confirm = page.getByRole('dialog', { name: 'Disable user dw-bob' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => confirm.count()).toBe(0);
    await poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Disable');
    expect((await t.engine.db.user.findFirstOrThrow({ where: { userName: 'dw-bob' } })).active).toBe(true);
  });

  it('is usable at 1024×768: no sideways scroll, Maintenance visible, the Jobs table whole', { timeout: 120_000 }, async () => {
    const small = await adminPage(browser, t);
    await small.setViewportSize({ width: 1024, height: 768 });
    const overflow = () => small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const rightEdge = async (locator: ReturnType<Page['locator']>) => {
      const box = await locator.boundingBox();
      return box ? box.x + box.width : Infinity;
    };
    await small.goto(`${server.origin}/vms/${vms['dw-mem']}`);
    await small.locator('.lifecycle [data-refused], .lifecycle button:enabled').first().waitFor();
    await small.getByRole('region', { name: 'Snapshots' }).waitFor();
    await shot('daily-1024-vm', small);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await small.goto(`${server.origin}/hosts`);
    const maintenance = small
      .getByRole('table', { name: 'hosts' })
      .locator('tbody tr', { hasText: 'dw-h2' })
      .getByRole('button', { name: 'Maintenance' });
    await maintenance.waitFor();
    await shot('daily-1024-hosts', small);
    expect(await rightEdge(maintenance)).toBeLessThanOrEqual(1024);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await small.goto(`${server.origin}/jobs`);
    const jobs = small.getByRole('table', { name: 'jobs' });
    await jobs.locator('tbody tr').first().waitFor();
    await shot('daily-1024-jobs', small);
    expect(await rightEdge(jobs)).toBeLessThanOrEqual(1024);
    expect(await rightEdge(jobs.locator('thead th').last())).toBeLessThanOrEqual(1024);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await small.goto(`${server.origin}/admin/users`);
    await small.getByRole('table', { name: 'users' }).locator('tbody tr', { hasText: 'dw-bob' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await small.context().close();
  });

  it('has no serious or critical axe-core violation on the main pages', { timeout: 240_000 }, async () => {
    const pages: [string, string, () => Promise<unknown>][] = [
      ['dashboard', '/', () => page.getByRole('heading', { name: 'Dashboard' }).waitFor()],
      ['vms', '/vms', () => page.getByRole('table', { name: 'virtual machines' }).locator('tbody tr').first().waitFor()],
      ['vm', `/vms/${vms['dw-mem']}`, () => page.getByRole('region', { name: 'Snapshots' }).locator('table').waitFor()],
      ['hosts', '/hosts', () => page.getByRole('table', { name: 'hosts' }).locator('tbody tr').first().waitFor()],
      ['host', `/hosts/${hosts[0]!.gid}`, () => page.getByRole('img', { name: 'CPU' }).waitFor()],
      ['disks', '/disks', () => page.getByRole('table', { name: 'disks' }).locator('tbody tr').first().waitFor()],
      ['templates', '/templates', () => page.getByRole('table', { name: 'templates' }).locator('tbody tr').first().waitFor()],
      ['jobs', '/jobs', () => page.getByRole('table', { name: 'jobs' }).locator('tbody tr').first().waitFor()],
      ['events', '/events', () => page.getByRole('table', { name: 'events' }).locator('tbody tr').first().waitFor()],
      ['users', '/admin/users', () => page.getByRole('table', { name: 'users' }).locator('tbody tr').first().waitFor()],
      ['portal', '/portal/', () => page.locator('article.vm-card').first().waitFor()],
    ];
    const found: Record<string, string[]> = {};
    const all: Record<string, number> = {};
    for (const [name, where, ready] of pages) {
      await page.goto(`${server.origin}${where}`);
      await ready();
      await page.waitForTimeout(500);
      const violations = await axeViolations(page);
      all[name] = violations.length;
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (serious.length) found[name] = serious.map((v) => `${v.id} (${v.impact}): ${v.targets.join(' | ')}`);
    }
    console.log(`axe-core (WCAG 2.1 A/AA) violations of any impact per page: ${JSON.stringify(all)}`);
    expect(found).toEqual({});
  });

  it('follows the system in dark mode, still without serious or critical axe-core violations', { timeout: 120_000 }, async () => {
    const dark = await adminPage(browser, t, 'dark');
    const found: Record<string, string[]> = {};
    for (const [name, where, ready] of [
      ['dashboard', '/', () => dark.getByRole('heading', { name: 'Dashboard' }).waitFor()],
      ['vm', `/vms/${vms['dw-net']}`, () => dark.locator('.lifecycle').getByTestId('refusals').waitFor()],
      ['hosts', '/hosts', () => dark.getByRole('table', { name: 'hosts' }).locator('tbody tr').first().waitFor()],
      ['portal', '/portal/', () => dark.locator('article.vm-card').first().waitFor()],
    ] as const) {
      await dark.goto(`${server.origin}${where}`);
      await ready();
      await dark.waitForTimeout(500);
      // Dark: the page's background is dark and its text light.
      const [bg, ink] = await dark.evaluate(() => {
        const luminance = (c: string) => {
          const [r, g, b] = (c.match(/\d+/g) ?? []).map(Number);
          return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
        };
        const body = getComputedStyle(document.body);
        return [luminance(getComputedStyle(document.documentElement).backgroundColor), luminance(body.color)];
      });
      expect(bg).toBeLessThan(0.2);
      expect(ink).toBeGreaterThan(0.7);
      const serious = (await axeViolations(dark)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (serious.length) found[name] = serious.map((v) => `${v.id} (${v.impact}): ${v.targets.join(' | ')}`);
      await shot(`dark-${name}`, dark);
    }
    expect(found).toEqual({});
    await dark.context().close();
  });
});
