// The demo in Chromium, as a new user meets it: the engine as `npm start` runs it (its own process,
// demo inventory and agents), the log-in page, then through the portal: run a Down VM, migrate
// it, put its host into maintenance and activate it again, and change that host's networks
// with the dry run's reasons on screen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PROCESS_ADMIN_PASSWORD, loginAdmin, post, startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';
import { SHOTS, buildUi, launchChromium, runBrowserTests } from './browser.ts';

describe.skipIf(!runBrowserTests)('the demo in Chromium', () => {
  let engine: EngineProcess;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let token: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-demo-ui-'));

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    engine = await startEngineProcess({ VIREO_DATA_DIR: dataDir }, 240_000);
    origin = new URL(engine.url).origin;
    token = await loginAdmin(engine.url);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await engine?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (query: string, variables?: Record<string, unknown>) => (await post(engine.url, query, variables, token)).data;
  const vm = async (name: string) =>
    (
      await api('query($f: VmFilter) { vms(first: 1, filter: $f) { edges { node { id status host { id name } } } } }', {
        f: { nameContains: name },
      })
    ).vms.edges[0].node;
  const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });
  const status = () => page.locator('h1 [data-status]').getAttribute('data-status');
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  it('logs in, runs a Down VM, migrates it, and takes its host through maintenance and back', async () => {
    await vi.waitFor(
      async () => {
        const hosts = (await api('{ hosts(first: 10) { edges { node { status } } } }')).hosts.edges;
        expect(hosts.map((e: { node: { status: string } }) => e.node.status)).toEqual(['UP', 'UP', 'UP', 'UP', 'UP']);
      },
      { timeout: 60_000, interval: 500 },
    );
    const down = (await api('{ vms(first: 50, filter: { status: [DOWN] }) { edges { node { id name } } } }')).vms.edges[0].node;

    await page.goto(`${origin}/`);
    const login = page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('User name').fill('admin');
    await login.getByLabel('Password').fill(PROCESS_ADMIN_PASSWORD);
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();

    await page.goto(`${origin}/vms/${down.id}`);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await poll(() => run.isEnabled()).toBe(true);
    await run.click();
    await poll(status).toBe('UP');
    const before = (await vm(down.name)).host;

    await page.getByRole('button', { name: 'Migrate', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Migrate ${down.name}` });
    const migrate = dialog.getByRole('button', { name: 'Migrate', exact: true });
    await poll(() => migrate.isEnabled()).toBe(true);
    await migrate.click();
    await poll(async () => (await vm(down.name)).host?.id).not.toBe(before.id);
    await poll(async () => (await vm(down.name)).status).toBe('UP');
    const host = (await vm(down.name)).host;

    await page.goto(`${origin}/hosts/${host.id}`);
    const maintenance = page.getByRole('region', { name: 'Maintenance' });
    await poll(() => maintenance.getByRole('button', { name: 'Maintenance', exact: true }).isEnabled()).toBe(true);
    await maintenance.getByRole('button', { name: 'Maintenance', exact: true }).click();
    await page
      .getByRole('dialog', { name: /^Maintenance of / })
      .getByRole('button', { name: 'Maintenance', exact: true })
      .click();
    await poll(status, 60_000).toBe('MAINTENANCE');
    expect((await vm(down.name)).host.id).not.toBe(host.id);
    expect((await vm(down.name)).status).toBe('UP');
    await poll(() => maintenance.getByRole('button', { name: 'Activate', exact: true }).isEnabled()).toBe(true);
    await maintenance.getByRole('button', { name: 'Activate', exact: true }).click();
    await poll(status).toBe('UP');
    await shot('demo-host-back-up');
  });

  it("edits a host's networks: a refused change shows why, an allowed one is applied and shown", async () => {
    const host = (await api('{ hosts(first: 1, filter: { nameContains: "host01" }) { edges { node { id } } } }')).hosts.edges[0].node;
    await page.goto(`${origin}/hosts/${host.id}`);
    const panel = page.getByRole('region', { name: 'Network' });
    const nics = panel.getByRole('table', { name: 'Network interfaces' });
    const row = (name: string) => nics.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    await poll(() => row('bond0').textContent()).toContain('storage');
    expect(await row('eno1').textContent()).toMatch(/ovirtmgmt.*vm-public VLAN 100|vm-public VLAN 100.*ovirtmgmt/);

    // Detaching the management network is refused, with the engine's reason beside Apply.
    await panel.getByRole('button', { name: 'Detach ovirtmgmt' }).click();
    await poll(() => panel.locator('[data-refused]').getAttribute('data-refused')).toBe('NETWORK_CANNOT_REMOVE_MANAGEMENT_NETWORK');
    expect(await panel.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);
    await panel.getByRole('button', { name: 'Reset' }).click();

    // Moving the storage network off the bond onto eno4 is allowed, applied by the host, and shown.
    await panel.getByRole('button', { name: 'Detach storage' }).click();
    await panel.getByLabel('Network to attach to eno4').selectOption({ label: 'storage (VLAN 200)' });
    await panel.getByLabel('Interface eno4').getByRole('button', { name: 'Attach' }).click();
    const apply = panel.getByRole('button', { name: 'Apply', exact: true });
    await poll(() => apply.isEnabled()).toBe(true);
    await apply.click();
    await poll(() => row('eno4').textContent()).toContain('storage VLAN 200');
    expect(await row('bond0').textContent()).not.toContain('storage');
    await shot('demo-host-network');
  });
});
