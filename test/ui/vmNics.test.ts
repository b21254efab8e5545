// A running VM's NICs edited from its page in Chromium, against a real engine and a simulated host:
// Add NIC (hot-plugged: the host's domain gets it), a refusal said in the dialog, Edit (a new model),
// Remove with its confirmation; axe-core finds nothing serious on the page or in the dialog.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
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
import { seriousViolations } from './axe.ts';

describe.skipIf(!runBrowserTests)("a VM's NICs in Chromium", () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let host: SimHost;
  let vmGid: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'vn');
    server = await serveEngineWithUi(t);
    host = await addSimulatedHost(t, `${server.origin}/graphql`, inv.cluster.id, 'vn-h1', { memoryMb: 16384, bootMs: 300 });
    await hostsUp(t, [host]);
    vmGid = (await mutate(t, 'addVm', { name: 'vn-web', cluster: inv.cluster.id, memoryMb: 512 }, 'vm')).id;
    const run = await t.gql(`mutation($id: ID!) { runVm(input: { id: $id }) { __typename } }`, { id: vmGid });
    expect(run.data.runVm.__typename).toBe('MutationRunVmSuccess');
    await vi.waitFor(
      async () => {
        if ((await t.engine.db.vm.findUniqueOrThrow({ where: { id: decodeGlobalID(vmGid).id } })).status !== 'UP')
          throw new Error('not up');
      },
      { timeout: 30_000, interval: 200 },
    );
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 180_000);
  afterAll(async () => {
    await host?.agent.stop();
    await stopBrowserTest(browser, server, t);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const panel = () => page.getByTestId('nics');
  const rows = () => panel().getByRole('table', { name: 'network interfaces' }).locator('tbody tr[data-nic]');
  const domain = () => host.driver.currentDescription(decodeGlobalID(vmGid).id);

  it('adds a NIC to the running VM (hot-plugged on its host), says why a MAC outside the pool is refused, edits and removes it', async () => {
    await page.goto(`${server.origin}/vms/${vmGid}`);
    await expect.poll(() => panel().textContent(), { timeout: 15_000 }).toContain('No NICs.');

    // A MAC outside the pool: the dialog says why, and nothing is added.
    await panel().getByRole('button', { name: 'Add NIC' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a NIC to vn-web' });
    await dialog.getByLabel('Network').selectOption({ label: 'vn-vmnet' });
    await dialog.getByLabel('MAC address').fill('52:54:00:00:00:01');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('MAC_ADDRESS_OUTSIDE_POOL');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('nics-refused');

    await dialog.getByLabel('MAC address').fill('');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    const row = rows().first();
    expect(await row.getAttribute('data-nic')).toBe('nic1');
    const mac = (await row.locator('code').textContent())!;
    expect(mac).toMatch(/^56:6f(:[0-9a-f]{2}){4}$/);
    expect(await row.textContent()).toContain('vn-vmnet');
    expect(await domain()).toContain(mac);
    await expect
      .poll(() => page.getByRole('table', { name: 'events' }).textContent(), { timeout: 15_000 })
      .toContain('hot-plugged on host vn-h1');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('nics-added');

    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit NIC nic1 of vn-web' });
    await edit.getByLabel('Model').selectOption('E1000');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => rows().first().textContent()).toContain('E1000');
    expect(await domain()).toMatch(new RegExp(`${mac}"/>\\s*<model type="e1000"`));

    await rows().first().getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove NIC nic1' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => rows().count()).toBe(0);
    expect(await domain()).not.toContain(mac);
    await shot('nics-removed');
  });
});
