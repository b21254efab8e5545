// The admin portal's tree and a host's hardware, in Chromium against a real engine with a simulated
// host: a data center's storage domains and networks and a cluster's Down VMs in the tree (loaded
// when opened), and the hardware the host's agent reported (vendor, product, serial, versions, NUMA).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { runVmUp } from '../support/vmPower.ts';
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

describe.skipIf(!runBrowserTests)('the tree and host hardware in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let host: SimHost;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'tr');
    server = await serveEngineWithUi(t);
    host = await addSimulatedHost(t, `${server.origin}/graphql`, inv.cluster.id, 'tr-h1', {
      memoryMb: 65536,
      sockets: 2,
      coresPerSocket: 4,
      threadsPerCore: 2,
      bootMs: 300,
    });
    await hostsUp(t, [host]);
    await mutate(t, 'addVm', { name: 'tr-sleeper', cluster: inv.cluster.id, memoryMb: 512 }, 'vm');
    const running = await mutate(t, 'addVm', { name: 'tr-runner', cluster: inv.cluster.id, memoryMb: 512 }, 'vm');
    await runVmUp(t, running.id);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 120_000);
  afterAll(async () => {
    await host?.agent.stop();
    await stopBrowserTest(browser, server, t);
  });

  it('holds the storage domains and networks of a data center and the Down VMs of a cluster', async () => {
    await page.goto(`${server.origin}/`);
    const tree = page.getByRole('navigation', { name: 'System tree' });
    await tree.getByRole('button', { name: 'Expand tr-dc' }).click();
    await tree.getByRole('button', { name: 'Expand Storage' }).click();
    await tree.getByRole('link', { name: 'tr-data' }).waitFor();
    await tree.getByRole('button', { name: 'Expand Networks' }).click();
    await tree.getByRole('link', { name: 'tr-vmnet' }).waitFor();
    await tree.getByRole('link', { name: 'ovirtmgmt' }).waitFor();
    await tree.getByRole('button', { name: 'Expand tr-cluster' }).click();
    await tree.getByRole('button', { name: 'Expand Down VMs' }).click();
    await tree.getByRole('link', { name: 'tr-sleeper' }).waitFor();
    expect(await tree.getByRole('link', { name: 'tr-runner' }).count()).toBe(0);
    // The running one is under its host.
    await tree.getByRole('button', { name: 'Expand tr-h1' }).click();
    await tree.getByRole('link', { name: 'tr-runner' }).waitFor();
    await tree.getByRole('link', { name: 'tr-data' }).click();
    await page.waitForURL(/\/storage\//);
    await page.screenshot({ path: path.join(SHOTS, 'tree.png'), fullPage: true });
  });

  it("shows the host's hardware as its agent reported it", async () => {
    await page.goto(`${server.origin}/hosts/${host.gid}`);
    const panel = page.getByTestId('hardware');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('PowerEdge R650');
    const text = (await panel.textContent())!;
    expect(text).toContain('Dell Inc.');
    expect(text).toMatch(/Kernel\s*5\.14\.0-362\.el9\.x86_64/);
    expect(text).toMatch(/libvirt\s*9\.5\.0/);
    expect(text).toMatch(/QEMU\s*8\.0\.0/);
    expect(await panel.locator('[data-numa="0"]').textContent()).toBe('node 0: CPUs 0–7 · 32.0 GiB');
    expect(await panel.locator('[data-numa="1"]').textContent()).toBe('node 1: CPUs 8–15 · 32.0 GiB');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'host-hardware.png'), fullPage: true });
  });
});
