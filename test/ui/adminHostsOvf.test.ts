// Administration in a real browser: host maintenance with live evacuation, OVA import (preview,
// mapping, warnings, refusal) and export, users and permissions down to the user portal, and the
// host table's live CPU column — all against a real engine with simulated agents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { hello, hostWithToken, report, send } from '../monitoring/support.ts';
import { gqlUpload } from '../ovf/engineSupport.ts';
import { SimulatedHypervisor } from '../../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../../agent/session.ts';
import {
  SHOTS,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  sessionPage,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';

describe.skipIf(!runBrowserTests)('administration in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  let net2: { id: string };
  const hosts: Record<string, { id: string; uuid: string }> = {};
  let vmId: string;
  let runVmId: string;
  /** The VM's OVA, fetched from GET /ova/vm/<id> through the engine's own handler. */
  let ovaFile: string;
  const agents: Agent[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-ui-ova-'));

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    server = await serveEngineWithUi(t);
    inv = await buildInventory(t, 'adm');
    // Not required of the hosts, which do not carry it: a host lacking a required network is NonOperational.
    net2 = await mutate(
      t,
      'addNetwork',
      { name: 'adm-backup', dataCenter: inv.dc.id, vlanId: 20, clusters: [{ cluster: inv.cluster.id, required: false }] },
      'network',
    );
    const fabric = new Map<string, SimulatedHypervisor>();
    for (const name of ['adm-h1', 'adm-h2']) {
      const host = await mutate(t, 'addHost', { name, address: `${name}.example.org`, cluster: inv.cluster.id }, 'host');
      const res = await t.gql(
        `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
        ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
        { input: { hostId: host.id } },
      );
      const driver = new SimulatedHypervisor({
        hostName: name,
        seed: agents.length + 1,
        memoryMb: 16384,
        sockets: 1,
        coresPerSocket: 8,
        bootMs: 500,
        shutdownMs: 500,
        migrateMs: 1500,
        fabric,
      });
      agents.push(
        startAgent({
          engineUrl: `${server.origin}/graphql`,
          hostName: name,
          token: res.data.issueHostAgentToken.agentToken.token,
          driver,
          intervalMs: 300,
          log: () => {},
        }),
      );
      hosts[name] = { id: host.id, uuid: Buffer.from(host.id, 'base64').toString().split(':')[1]! };
    }
    await vi.waitFor(
      async () => {
        const up = await t.engine.db.host.count({ where: { id: { in: Object.values(hosts).map((h) => h.uuid) }, status: 'UP' } });
        // Connected too: the disk below is made by one of them.
        if (up !== 2 || !Object.values(hosts).every((h) => t.engine.hosts.isConnected(h.uuid))) throw new Error(`${up} of 2 hosts up`);
      },
      { timeout: 20_000, interval: 100 },
    );
    vmId = (
      await mutate(
        t,
        'addVm',
        {
          name: 'adm-vm1',
          cluster: inv.cluster.id,
          memoryMb: 1024,
          nics: [
            { name: 'nic1', network: inv.vmNet.id },
            { name: 'nic2', network: net2.id },
          ],
        },
        'vm',
      )
    ).id;
    await mutate(
      t,
      'addDisk',
      { alias: 'adm-vm1-boot', provisionedSizeBytes: 2 * GiB, storageDomain: inv.storage.id, vm: vmId, bootable: true },
      'disk',
    );
    runVmId = (await mutate(t, 'addVm', { name: 'adm-run', cluster: inv.cluster.id, memoryMb: 1024 }, 'vm')).id;
    const ova = await t.yoga.fetch(`http://vireo.test/ova/vm/${encodeURIComponent(vmId)}`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(ova.headers.get('content-type')).toBe('application/x-tar');
    ovaFile = path.join(tmp, 'adm-vm1.ova');
    fs.writeFileSync(ovaFile, Buffer.from(await ova.arrayBuffer()));
    browser = await launchChromium();
    page = await sessionPage(browser, t.adminToken, 'admin', { viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await stopBrowserTest(browser, server, t);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const shot = (name: string, p = page) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const markPage = () =>
    page.evaluate(() => {
      (window as any).__vireoMark = true;
    });
  const stillSamePage = () => page.evaluate(() => (window as any).__vireoMark === true);
  const badge = (where: ReturnType<Page['locator']>) => where.locator('[data-status]').first().getAttribute('data-status');
  const vmHost = async () => (await t.engine.db.vm.findFirstOrThrow({ where: { name: 'adm-run' }, include: { host: true } })).host?.name;

  it('moves a host with a running VM to maintenance and back, live', { timeout: 120_000 }, async () => {
    const run = await t.gql(
      `mutation($id: ID!, $host: ID) { runVm(input: { id: $id, host: $host }) { __typename ... on ValidationError { reasons { code } } } }`,
      { id: runVmId, host: hosts['adm-h1']!.id },
    );
    expect(run.data.runVm).toEqual({ __typename: 'MutationRunVmSuccess' });
    await vi.waitFor(
      async () => {
        if ((await t.engine.db.vm.findFirstOrThrow({ where: { name: 'adm-run' } })).status !== 'UP') throw new Error('not up');
      },
      { timeout: 15_000, interval: 100 },
    );

    await page.goto(`${server.origin}/hosts/${hosts['adm-h1']!.id}`);
    const header = page.locator('header.detail-header');
    await expect.poll(() => badge(header), { timeout: 10_000 }).toBe('UP');
    const vmRow = page.getByRole('table', { name: 'virtual machines' }).locator('tbody tr', { hasText: 'adm-run' });
    await vmRow.waitFor();
    expect(await vmRow.locator('td').nth(3).textContent()).toContain('adm-h1');
    // The dry runs: an Up host can go to maintenance, not be activated.
    const maintenance = page.getByRole('button', { name: 'Maintenance' });
    const activate = page.getByRole('button', { name: 'Activate' });
    await expect.poll(() => activate.isDisabled()).toBe(true);
    expect(await page.locator('.host-maintenance [data-refused]').getAttribute('data-refused')).toBeTruthy();
    expect(await maintenance.isEnabled()).toBe(true);
    await markPage();

    await maintenance.click();
    // Maintenance migrates the host's VMs away: it is confirmed first.
    await page.getByRole('dialog', { name: 'Maintenance of adm-h1' }).getByRole('button', { name: 'Maintenance' }).click();
    await page
      .locator('.host-maintenance [data-job-status]')
      .waitFor()
      .catch(async (e) => {
        await shot('admin-host-maintenance-failed');
        throw e;
      });
    // Evacuation: the VM migrates to adm-h2 (its row says so until the host's list reloads without
    // it), then the host badge turns MAINTENANCE.
    const rowMoved = async () =>
      (await vmRow.count()) === 0
        ? 'left this host'
        : ((await vmRow
            .locator('td')
            .nth(3)
            .textContent({ timeout: 1_000 })
            .catch(() => '')) ?? '');
    await expect
      .poll(rowMoved, { timeout: 30_000 })
      .toMatch(/adm-h2|left this host/)
      .catch(async (e) => {
        await shot('admin-host-maintenance-failed');
        throw e;
      });
    await expect.poll(() => badge(header), { timeout: 20_000 }).toBe('MAINTENANCE');
    expect(await vmHost()).toBe('adm-h2');
    await expect
      .poll(
        () =>
          page
            .locator('.host-maintenance [data-job-status]')
            .first()
            .getAttribute('data-job-status')
            .catch(() => 'GONE'),
        { timeout: 10_000 },
      )
      .toMatch(/FINISHED|GONE/);
    await expect.poll(() => activate.isEnabled()).toBe(true);
    expect(await maintenance.isDisabled()).toBe(true);
    expect(await stillSamePage()).toBe(true);
    await shot('admin-host-maintenance');

    await activate.click();
    await expect.poll(() => badge(header), { timeout: 15_000 }).toBe('UP');
    expect(await stillSamePage()).toBe(true);
  });

  it('downloads the VM as an OVA whose first entry is the OVF descriptor, and shows the OVF', async () => {
    await page.goto(`${server.origin}/vms/${vmId}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'adm-vm1' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download OVA' }).click()]);
    expect(download.suggestedFilename()).toBe('adm-vm1.ova');
    const file = path.join(tmp, 'downloaded.ova');
    await download.saveAs(file);
    const tar = fs.readFileSync(file);
    expect(tar.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '')).toMatch(/\.ovf$/);
    expect(tar.subarray(512, 1024).toString('utf8')).toContain('<?xml');

    await page.getByRole('button', { name: 'Show OVF' }).click();
    const dialog = page.getByRole('dialog', { name: 'OVF descriptor' });
    const text = await dialog.getByLabel('OVF descriptor').textContent();
    expect(text).toContain('adm-vm1');
    expect(text).toContain('adm-backup');
    await shot('admin-vm-ovf');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
  });

  it('imports the OVA with a preview of the VM, the network mapping and every warning; a second import without clone is refused', async () => {
    const ova = ovaFile;
    await page.goto(`${server.origin}/vms`);
    await page.getByRole('button', { name: 'Import VM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import VM' });
    await dialog.locator('input[type=file]').setInputFiles(ova);
    await dialog.getByLabel('Cluster').selectOption({ label: 'adm-cluster (adm-dc)' });
    await expect.poll(() => dialog.getByLabel('Storage domain').inputValue(), { timeout: 15_000 }).toBe(inv.storage.id);
    await dialog.getByLabel('Name', { exact: true }).fill('adm-vm1-copy');
    await dialog.getByLabel('Import as clone').check();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByTestId('import-preview');
    await preview.waitFor({ timeout: 10_000 }).catch(async (e) => {
      await shot('admin-import-failed');
      throw e;
    });
    // Both source networks are found and mapped to the networks of the same name; unmap one.
    await expect.poll(() => dialog.getByLabel('Network for adm-vmnet').inputValue(), { timeout: 15_000 }).toBe(inv.vmNet.id);
    expect(await dialog.getByLabel('Network for adm-backup').inputValue()).toBe(net2.id);
    await dialog.getByLabel('Network for adm-backup').selectOption({ label: 'No network (NICs unplugged)' });
    const nics = dialog.getByRole('table', { name: 'NICs to import' });
    await expect.poll(() => nics.locator('tbody tr', { hasText: 'nic2' }).textContent(), { timeout: 15_000 }).toContain('none (unplugged)');
    expect(await nics.locator('tbody tr', { hasText: 'nic1' }).textContent()).toContain('adm-vmnet');
    expect(await preview.getByTestId('preview-name').textContent()).toBe('adm-vm1-copy');
    expect(await preview.textContent()).toContain('1 sockets × 1 cores');
    expect(await dialog.getByRole('table', { name: 'disks to import' }).textContent()).toContain('2.0 GiB');
    // The warnings shown are every warning the engine gives for the same input.
    const api = await gqlUpload(
      t,
      `query($i: ImportVmInput!) { ovfImportPreview(input: $i) { warnings { code } } }`,
      {
        cluster: inv.cluster.id,
        storageDomain: inv.storage.id,
        clone: true,
        name: 'adm-vm1-copy',
        networks: [
          { source: 'adm-vmnet', network: inv.vmNet.id },
          { source: 'adm-backup', network: null },
        ],
      },
      fs.readFileSync(ova),
      path.basename(ova),
    );
    const shown = await dialog
      .getByRole('list', { name: 'import warnings' })
      .locator('li[data-code]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(shown).toEqual(api.data.ovfImportPreview.warnings.map((w: { code: string }) => w.code));
    expect(shown.length).toBeGreaterThan(0);
    await shot('admin-import-preview');

    await expect.poll(() => dialog.getByRole('button', { name: 'Import' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByTestId('import-done').waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await page.getByRole('table', { name: 'virtual machines' }).locator('tbody tr', { hasText: 'adm-vm1-copy' }).waitFor();

    // The same package again, without clone: the VM exists, the preview says so and Import is refused.
    await page.getByRole('button', { name: 'Import VM' }).click();
    await dialog.locator('input[type=file]').setInputFiles(ova);
    await dialog.getByLabel('Cluster').selectOption({ label: 'adm-cluster (adm-dc)' });
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const refused = dialog.getByTestId('import-refused');
    await refused.waitFor();
    expect(await refused.locator('[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toContain(
      'VM_ALREADY_EXISTS',
    );
    await expect.poll(() => dialog.getByRole('button', { name: 'Import' }).isDisabled(), { timeout: 15_000 }).toBe(true);
    await shot('admin-import-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a user, grants it UserRole on one VM, and the user portal shows that VM only', async () => {
    await page.goto(`${server.origin}/admin/users`);
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('User name').fill('alice');
    await dialog.getByLabel('Password').fill('alice-password-1');
    await dialog.getByLabel('Full name').fill('Alice Liddell');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('table', { name: 'users' }).locator('tbody tr', { hasText: 'alice' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Enabled');
    await shot('admin-users');

    await page.goto(`${server.origin}/admin/roles`);
    const roles = page.getByRole('table', { name: 'roles' });
    const userRole = roles.locator('tbody tr', { hasText: 'UserRole' }).first();
    await userRole.waitFor();
    expect(await userRole.textContent()).toContain('Built-in');
    expect(await userRole.textContent()).toContain('VM_BASIC_OPERATIONS');
    await shot('admin-roles');
    // A custom role: added from its action groups, then removed (no permission uses it).
    await page.getByRole('button', { name: 'New role' }).click();
    const roleDialog = page.getByRole('dialog', { name: 'New role' });
    await roleDialog.getByLabel('Name').fill('Restarter');
    await roleDialog.getByLabel('LOGIN').check();
    await roleDialog.getByLabel('VM_BASIC_OPERATIONS').check();
    await roleDialog.getByRole('button', { name: 'Add role' }).click();
    const custom = roles.locator('tbody tr', { hasText: 'Restarter' });
    await custom.waitFor();
    expect(await custom.textContent()).toMatch(/Custom.*LOGIN.*VM_BASIC_OPERATIONS/);
    await custom.getByRole('button', { name: 'Remove' }).hover();
    await expect.poll(() => custom.getByRole('button', { name: 'Remove' }).getAttribute('aria-busy')).toBe('false');
    await custom.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove role Restarter' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => custom.count()).toBe(0);

    await page.goto(`${server.origin}/vms/${vmId}`);
    const panel = page.getByRole('region', { name: 'Permissions on this VM' });
    await panel.getByRole('button', { name: 'Add permission' }).click();
    const add = page.getByRole('dialog', { name: 'Add permission on this VM' });
    await add.getByLabel('User or group').selectOption({ label: 'alice@internal (Alice Liddell)' });
    await add.getByLabel('Role').selectOption({ label: 'UserRole' });
    await expect.poll(() => add.getByRole('button', { name: 'Grant' }).getAttribute('aria-busy')).toBe('false');
    await add.getByRole('button', { name: 'Grant' }).click();
    await panel.getByRole('table', { name: 'permissions' }).locator('tbody tr', { hasText: 'alice' }).waitFor();
    expect(await panel.getByRole('table', { name: 'permissions' }).locator('tbody tr', { hasText: 'alice' }).textContent()).toContain(
      'UserRole',
    );
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(SHOTS, 'admin-permissions-panel.png') });

    const aliceContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const alice = await aliceContext.newPage();
      await alice.goto(`${server.origin}/portal/`);
      const form = alice.getByRole('form', { name: 'Log in' });
      await form.getByLabel('User name').fill('alice');
      await form.getByLabel('Password').fill('alice-password-1');
      await form.getByRole('button', { name: 'Log in' }).click();
      const cards = alice.locator('article.vm-card');
      const failed = alice.getByText('Could not load your VMs.');
      await cards.or(failed).first().waitFor({ timeout: 15_000 });
      // alice's session sees only the VM she was granted, and the portal shows just that card.
      const token = await alice.evaluate(() => localStorage.getItem('vireo.token'));
      const mine = await t.gqlAs(token, '{ vms(first: 50) { edges { node { name } } } }');
      expect(mine.data.vms.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['adm-vm1']);
      expect(await failed.isVisible()).toBe(false);
      await expect.poll(() => cards.count()).toBe(1);
      expect(await cards.first().locator('h2').textContent()).toBe('adm-vm1');
      await shot('admin-alice-portal', alice);
    } finally {
      await aliceContext.close();
    }

    // Disabled from the users page: the account is refused at log-in.
    await page.goto(`${server.origin}/admin/users`);
    const alice = page.getByRole('table', { name: 'users' }).locator('tbody tr', { hasText: 'alice' });
    await alice.getByRole('button', { name: 'Disable' }).hover();
    await expect.poll(() => alice.getByRole('button', { name: 'Disable' }).getAttribute('aria-busy')).toBe('false');
    await alice.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog', { name: 'Disable user alice' }).getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => alice.textContent()).toContain('Disabled');
    const login = await t.gqlAs(
      null,
      'mutation { login(input: { userName: "alice", password: "alice-password-1" }) { __typename ... on Error { code } } }',
    );
    expect(login.data.login.__typename).not.toBe('MutationLoginSuccess');

    // And the permission revoked from the VM's panel.
    await page.goto(`${server.origin}/vms/${vmId}`);
    const grant = page.getByRole('region', { name: 'Permissions on this VM' }).locator('tbody tr', { hasText: 'alice' });
    await grant.getByRole('button', { name: 'Remove' }).hover();
    await expect.poll(() => grant.getByRole('button', { name: 'Remove' }).getAttribute('aria-busy')).toBe('false');
    await grant.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove the UserRole permission of alice' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => grant.count()).toBe(0);
    expect(await t.engine.db.permission.count({ where: { user: { userName: 'alice' } } })).toBe(0);
  });

  it('shows the system permissions and the groups page', async () => {
    await page.goto(`${server.origin}/admin/permissions`);
    const panel = page.getByRole('region', { name: 'Permissions on the system' });
    await panel.getByRole('table', { name: 'permissions' }).locator('tbody tr', { hasText: 'admin' }).first().waitFor();
    expect(await panel.textContent()).toContain('SuperUser');
    await shot('admin-system-permissions');
    await page.goto(`${server.origin}/admin/groups`);
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Name').fill('operators');
    await dialog.getByRole('button', { name: 'Add group' }).click();
    const row = page.getByRole('table', { name: 'groups' }).locator('tbody tr', { hasText: 'operators' });
    await row.waitFor();
    // A local user joins the group from its row, and leaves it again.
    await row.getByRole('button', { name: 'Add member' }).click();
    await row.getByLabel('User to add to operators').selectOption({ label: 'alice' });
    await row.getByRole('button', { name: 'Add', exact: true }).click();
    await row.getByRole('button', { name: 'Remove alice from operators' }).waitFor();
    expect(await t.engine.db.groupMembership.count({ where: { group: { name: 'operators' }, user: { userName: 'alice' } } })).toBe(1);
    await shot('admin-groups');
    await row.getByRole('button', { name: 'Remove alice from operators' }).click();
    await expect.poll(() => t.engine.db.groupMembership.count({ where: { group: { name: 'operators' } } })).toBe(0);
  });

  it('changes a host table CPU cell from a live sample, without reloading', async () => {
    const manual = await hostWithToken(t, 'cpu-h1');
    expect((await send(t, 'hello', manual, hello)).errors).toBeUndefined();
    expect((await send(t, 'report', manual, report(1, []))).errors).toBeUndefined();
    await page.goto(`${server.origin}/hosts`);
    const row = page.getByRole('table', { name: 'hosts' }).locator('tbody tr', { hasText: 'cpu-h1' });
    const cpu = row.locator('td').nth(7);
    await expect.poll(() => cpu.textContent(), { timeout: 10_000 }).toBe('13%');
    await markPage();
    await new Promise((r) => setTimeout(r, 300)); // the row's hostStats subscription is listening
    const next = report(2, []);
    next.host = { ...next.host, cpuUserPercent: 70, cpuSysPercent: 5, cpuIdlePercent: 25 };
    expect((await send(t, 'report', manual, next)).errors).toBeUndefined();
    await expect.poll(() => cpu.textContent(), { timeout: 10_000 }).toBe('75%');
    expect(await stillSamePage()).toBe(true);
    await shot('admin-hosts-live-cpu');
  });
});
