// VM actions in the admin and user portals, in a real browser against a real engine with a
// simulated host: snapshots, disks, templates, jobs, the shutdown dialog and the portal cards.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { GiB, buildInventory, mutate } from '../support/inventory.ts';
import { SimulatedHypervisor } from '../../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../../agent/session.ts';
import { setProgress } from '../../server/jobs/jobs.ts';
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

describe.skipIf(!runBrowserTests)('VM actions in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let agent: Agent | undefined;
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  /** A Down VM with a 10 GiB boot disk. */
  let downVm: string;
  /** A VM running on the simulated host. */
  let upVm: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    inv = await buildInventory(t, 'va');
    server = await serveEngineWithUi(t);
    const host = await mutate(t, 'addHost', { name: 'va-h1', address: 'va-h1.example.org', cluster: inv.cluster.id }, 'host');
    const res = await t.gql(
      `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
      ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
      { input: { hostId: host.id } },
    );
    // Slow enough boots that a job is seen running; quick shutdowns.
    const driver = new SimulatedHypervisor({
      hostName: 'va-h1',
      seed: 7,
      memoryMb: 32768,
      sockets: 1,
      coresPerSocket: 8,
      bootMs: 4000,
      shutdownMs: 500,
    });
    agent = startAgent({
      engineUrl: `${server.origin}/graphql`,
      hostName: 'va-h1',
      token: res.data.issueHostAgentToken.agentToken.token,
      driver,
      intervalMs: 300,
      log: () => {},
    });
    const hostId = Buffer.from(host.id, 'base64').toString().split(':')[1]!;
    await vi.waitFor(
      async () => {
        if ((await t.engine.db.host.count({ where: { id: hostId, status: 'UP' } })) !== 1 || !t.engine.hosts.isConnected(hostId))
          throw new Error('host not up');
      },
      { timeout: 20_000, interval: 100 },
    );
    const disk = (alias: string) => [{ alias, storageDomain: inv.storage.id, provisionedSizeBytes: 10 * GiB, bootable: true }];
    downVm = (await mutate(t, 'addVm', { name: 'va-down', cluster: inv.cluster.id, memoryMb: 1024, disks: disk('va-down_Disk1') }, 'vm'))
      .id;
    upVm = (await mutate(t, 'addVm', { name: 'va-up', cluster: inv.cluster.id, memoryMb: 1024, disks: disk('va-up_Disk1') }, 'vm')).id;
    expect((await runVm(upVm)).__typename).toBe('MutationRunVmSuccess');
    await vi.waitFor(
      async () => {
        if ((await t.engine.db.vm.findFirstOrThrow({ where: { name: 'va-up' } })).status !== 'UP') throw new Error('not up yet');
      },
      { timeout: 20_000, interval: 100 },
    );

    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await agent?.stop();
    await stopBrowserTest(browser, server, t);
  });

  const runVm = async (id: string) =>
    (
      await t.gql(
        `mutation($id: ID!) { runVm(input: { id: $id }) { __typename
    ... on MutationRunVmSuccess { result { job { id } } } ... on Error { code message } } }`,
        { id },
      )
    ).data.runVm;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  /** expect.poll with room for a busy machine (the engine, Chromium and other test runs share 2 cores). */
  const poll = <T>(fn: () => T | Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout });
  const markPage = () =>
    page.evaluate(() => {
      (window as any).__vireoMark = true;
    });
  const stillSamePage = () => page.evaluate(() => (window as any).__vireoMark === true);
  const refusedCodes = (scope: Locator, button: string) =>
    scope.locator('[data-refused]', { has: page.getByRole('button', { name: button, exact: true }) }).getAttribute('data-refused');

  it('creates a snapshot from the VM page, previews it, and says why Commit is refused without a preview', async () => {
    await page.goto(`${server.origin}/vms/${downVm}`);
    const panel = page.getByRole('region', { name: 'Snapshots' });
    await panel.getByText('No snapshots yet.').waitFor();
    // Nothing to commit: refused with the engine's reason, shown beside the button.
    await poll(() => refusedCodes(panel, 'Commit')).toBe('VM_NOT_IN_PREVIEW');
    expect(await panel.getByRole('button', { name: 'Commit', exact: true }).isDisabled()).toBe(true);
    await markPage();

    await panel.getByRole('button', { name: 'Create', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Create snapshot' });
    await dialog.getByLabel('Description').fill('before upgrade');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await poll(() => dialog.count()).toBe(0);
    const row = panel.getByRole('row', { name: /before upgrade/ });
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('OK');
    expect(await row.textContent()).toContain('Current is based on it');

    // Preview: the snapshot is in preview and Commit / Undo become possible; Undo goes back.
    await poll(() => panel.getByRole('button', { name: 'Preview', exact: true }).isEnabled()).toBe(true);
    await panel.getByRole('button', { name: 'Preview', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: /^Preview snapshot / });
    await confirm.getByRole('button', { name: 'Preview', exact: true }).click();
    await poll(() => confirm.count()).toBe(0);
    await poll(() => row.textContent()).toContain('In preview');
    await poll(() => panel.getByRole('button', { name: 'Commit', exact: true }).isEnabled()).toBe(true);
    expect(await refusedCodes(panel, 'Preview')).toBe('VM_IN_PREVIEW');
    await panel.getByRole('button', { name: 'Undo', exact: true }).click();
    await poll(() => row.textContent()).toContain('Current is based on it');
    expect(await stillSamePage()).toBe(true);
  });

  it('adds a disk to the VM and shows it in the disks panel', async () => {
    const panel = page.getByRole('region', { name: 'Disks' });
    await panel.getByRole('button', { name: 'Add disk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a disk to va-down' });
    await dialog.getByLabel('Alias').fill('va-extra');
    await dialog.getByLabel('Size (GiB)').fill('5');
    await dialog.getByLabel('Allocation').selectOption('preallocated');
    await dialog.getByLabel('Storage domain').selectOption({ index: 0 });
    await dialog.getByLabel('Interface').selectOption('VIRTIO');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await poll(() => dialog.count()).toBe(0);
    const row = panel.locator('tr[data-disk="va-extra"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 8)).toEqual(['va-extra', '5.0 GiB', '5.0 GiB', 'RAW · preallocated', 'va-data', 'VIRTIO', '', 'yes']);
    expect(await t.engine.db.disk.count({ where: { alias: 'va-extra', provisionedSizeBytes: 5n * BigInt(GiB) } })).toBe(1);
  });

  it('refuses to shrink a disk, with the coded error, and grows it', async () => {
    const panel = page.getByRole('region', { name: 'Disks' });
    await panel.locator('tr[data-disk="va-extra"]').getByRole('button', { name: 'Resize' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resize va-extra' });
    await dialog.getByLabel('New size (GiB)').fill('2');
    await dialog.getByLabel('New size (GiB)').press('Tab');
    // The dry run says no at once; submitting anyway shows the action's own coded error.
    await poll(() => refusedCodes(dialog, 'Resize')).toBe('DISK_SHRINK_NOT_SUPPORTED');
    await dialog.getByLabel('New size (GiB)').press('Enter');
    const alert = dialog.locator('[data-code]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('DISK_SHRINK_NOT_SUPPORTED');
    expect(await alert.textContent()).toContain('a disk can only grow');
    await shot('vm-disk-shrink-refused');
    await dialog.getByLabel('New size (GiB)').fill('8');
    await dialog.getByLabel('New size (GiB)').press('Tab');
    await poll(() => dialog.getByRole('button', { name: 'Resize' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Resize' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => panel.locator('tr[data-disk="va-extra"] td').nth(1).textContent()).toBe('8.0 GiB');
    await shot('vm-detail-snapshots-disks');
  });

  it('detaches a disk, which becomes floating, and attaches it again', async () => {
    const panel = page.getByRole('region', { name: 'Disks' });
    // The boot disk is under the snapshot: Detach is refused and the row says why.
    await poll(() => panel.locator('[data-disk-reasons="va-down_Disk1"]').textContent()).toContain('DISK_HAS_SNAPSHOTS');
    await poll(() => panel.locator('tr[data-disk="va-extra"]').getByRole('button', { name: 'Detach' }).isEnabled()).toBe(true);
    await panel.locator('tr[data-disk="va-extra"]').getByRole('button', { name: 'Detach' }).click();
    await poll(() => panel.locator('tr[data-disk="va-extra"]').count()).toBe(0);
    await panel.getByRole('button', { name: 'Attach existing' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attach a disk to va-down' });
    await dialog.getByLabel('Disk').selectOption({ label: 'va-extra — 8.0 GiB on va-data' });
    await dialog.getByLabel('Interface').selectOption('SATA');
    await poll(() => dialog.getByRole('button', { name: 'Attach' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Attach' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => panel.locator('tr[data-disk="va-extra"] td').nth(5).textContent()).toBe('SATA');
  });

  it('refuses Make template on a running VM with the reason, and makes one of a Down VM', async () => {
    await page.goto(`${server.origin}/vms/${upVm}`);
    const header = page.locator('header.detail-header');
    await poll(() => refusedCodes(header, 'Make template')).toBe('VM_IS_RUNNING');
    expect(await header.getByRole('button', { name: 'Make template' }).isDisabled()).toBe(true);
    const reason = header
      .locator('[data-refused]', { has: page.getByRole('button', { name: 'Make template' }) })
      .getByTestId('refused-reason');
    expect(await reason.textContent()).toContain('va-up');

    await page.goto(`${server.origin}/vms/${downVm}`);
    await poll(() => header.getByRole('button', { name: 'Make template' }).isEnabled()).toBe(true);
    await header.getByRole('button', { name: 'Make template' }).click();
    const dialog = page.getByRole('dialog', { name: 'Make a template of va-down' });
    await dialog.getByLabel('Template name').fill('va-tpl');
    await dialog.getByLabel('Description').fill('golden image');
    await dialog.getByLabel('Description').press('Tab');
    await poll(() => dialog.getByRole('button', { name: 'Make template' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Make template' }).click();
    // The new template's page: its hardware and its disks, copied from the VM.
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'va-tpl' }).waitFor();
    expect(await page.locator('dl.props').textContent()).toContain('golden image');
    const disks = page.getByRole('table', { name: 'template disks' });
    await poll(() => disks.locator('tbody tr').count()).toBe(2);
    expect(await disks.textContent()).toContain('va-extra');
    await page.getByText('No VM is made from this template.').waitFor();
  });

  it('makes a new VM from the template, which then shows in the VM table', async () => {
    await page.getByRole('button', { name: 'New VM' }).click();
    const dialog = page.getByRole('dialog', { name: 'New VM from va-tpl' });
    await dialog.getByLabel('Name').fill('va-from-tpl');
    await dialog.getByLabel('Clone: full independent copies').check();
    await dialog.getByLabel('Name').press('Tab');
    await poll(() => dialog.getByRole('button', { name: 'Create VM' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Create VM' }).click();
    await poll(() => dialog.count()).toBe(0);
    const made = page.getByRole('region', { name: 'VMs made from this template' });
    await made.getByRole('link', { name: 'va-from-tpl' }).waitFor();
    // In use now: Remove is refused, with the engine's reason.
    await poll(() => refusedCodes(page.locator('header.detail-header'), 'Remove')).toBe('TEMPLATE_IN_USE');
    await shot('template-detail');

    await page.goto(`${server.origin}/templates`);
    const table = page.getByRole('table', { name: 'templates' });
    const row = table.locator('tbody tr', { hasText: 'va-tpl' });
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('OK');
    expect(await page.getByTestId('total').textContent()).toBe('1–1 of 1');
    await shot('templates');

    await page.goto(`${server.origin}/vms`);
    await page.getByLabel('Search VMs').fill('va-from');
    const vms = page.getByRole('table', { name: 'virtual machines' });
    await poll(() => vms.locator('tbody tr td[data-col="name"]').allTextContents()).toEqual(['va-from-tpl']);
    const vm = await t.engine.db.vm.findFirstOrThrow({
      where: { name: 'va-from-tpl' },
      include: { template: true, diskAttachments: { include: { disk: true } } },
    });
    expect(vm.template?.name).toBe('va-tpl');
    // A clone: its disks are its own, not thin over the template's.
    expect(vm.diskAttachments.map((a) => a.disk.parentId)).toEqual([null, null]);
  });

  it('offers in the New VM form the operating systems the engine accepts, all of them', async () => {
    const engineList: string[] = (await t.gql('{ operatingSystems }')).data.operatingSystems;
    await page.goto(`${server.origin}/vms`);
    await page.getByRole('button', { name: 'New VM' }).click();
    const dialog = page.getByRole('dialog', { name: 'New virtual machine' });
    const os = dialog.getByLabel('Operating system');
    await poll(async () => (await os.locator('option').allTextContents()).filter((o) => o !== '—')).toEqual(engineList);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a running job and its progress live on the jobs page', async () => {
    await page.goto(`${server.origin}/jobs`);
    const table = page.getByRole('table', { name: 'jobs' });
    await table.locator('tbody tr', { hasText: 'va-tpl' }).first().waitFor();
    await markPage();
    await new Promise((r) => setTimeout(r, 300)); // the events subscription is listening
    const started = await runVm(downVm);
    expect(started.__typename).toBe('MutationRunVmSuccess');
    const jobId = Buffer.from(started.result.job.id, 'base64').toString().split(':')[1]!;
    const row = table.locator(`tbody tr[data-id="${started.result.job.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-status]').first().getAttribute('data-status')).toBe('STARTED');
    expect(await row.textContent()).toContain('admin');
    // Progress as the engine reports it (as it does for a migration), then the end of the job.
    await setProgress(t.engine.db, t.engine.pubsub, jobId, 40);
    await poll(() => row.locator('[data-progress]').getAttribute('data-progress')).toBe('40');
    await row.getByRole('button', { name: /Show steps of/ }).click();
    await row.getByRole('list', { name: 'Steps' }).locator('li').first().waitFor();
    expect(await row.getByRole('list', { name: 'Steps' }).textContent()).toContain('40%');
    await shot('jobs');
    await poll(() => row.locator('[data-status]').first().getAttribute('data-status'), 15_000).toBe('FINISHED');
    expect(await row.locator('[data-progress]').getAttribute('data-progress')).toBe('100');
    expect(await stillSamePage()).toBe(true);
  });

  it('pauses and resumes a VM, then shuts it down from the dialog with a timeout and the power-off fallback', async () => {
    await page.goto(`${server.origin}/vms/${downVm}`);
    const header = page.locator('header.detail-header');
    await poll(() => header.locator('[data-status]').getAttribute('data-status'), 10_000).toBe('UP');
    await poll(() => page.getByRole('button', { name: 'Shutdown', exact: true }).isEnabled()).toBe(true);
    // Pause is possible on an Up VM; Resume is not, and the reasons are listed under the buttons.
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).isEnabled()).toBe(true);
    expect(await page.locator('.lifecycle').getByTestId('refusals').textContent()).toContain('VM_STATUS_ILLEGAL Resume');
    // Pause and Resume, the badge following live.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await poll(() => header.locator('[data-status]').getAttribute('data-status'), 10_000).toBe('PAUSED');
    await poll(() => page.getByRole('button', { name: 'Resume', exact: true }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await poll(() => header.locator('[data-status]').getAttribute('data-status'), 10_000).toBe('UP');
    await poll(() => page.getByRole('button', { name: 'Shutdown', exact: true }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Shutdown', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Shut down va-down' });
    await dialog.getByLabel('Time the guest has (seconds)').fill('30');
    await dialog.getByLabel('Power off if the guest does not stop in time').check();
    await shot('vm-shutdown-dialog');
    await poll(() => dialog.getByRole('button', { name: 'Shut down' }).isEnabled()).toBe(true);
    const sent = page.waitForRequest((r) => r.method() === 'POST' && (r.postData() ?? '').includes('mutation ShutdownVm'));
    await dialog.getByRole('button', { name: 'Shut down' }).click();
    expect(JSON.parse((await sent).postData()!).variables).toMatchObject({ timeoutSeconds: 30, forceAfterTimeout: true });
    await poll(() => dialog.count()).toBe(0);
    await poll(() => header.locator('[data-status]').getAttribute('data-status'), 15_000).toBe('DOWN');
    await poll(
      async () => (await t.engine.db.job.findFirstOrThrow({ where: { actionType: 'ShutdownVm' }, orderBy: { startedAt: 'desc' } })).status,
    ).toBe('FINISHED');
  });

  it('shows console details on a user portal card, downloads the .vv file, and reboots the VM live', async () => {
    await page.goto(`${server.origin}/portal/`);
    await page.getByLabel('Find a VM').fill('va-up');
    await poll(() => page.locator('article.vm-card').count()).toBe(1);
    const card = page.locator('article.vm-card', { hasText: 'va-up' });
    const api = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { console { protocol address port } } } }`, { id: upVm });
    const { protocol, address, port } = api.data.node.console;
    expect(await card.getByTestId('console').textContent()).toContain(`${protocol} ${address}:${port}`);
    await card.hover();
    await poll(() => card.getByRole('button', { name: 'Download console file (.vv)' }).isEnabled()).toBe(true);
    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Download console file (.vv)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('va-up.vv');
    const vv = fs.readFileSync((await file.path())!, 'utf8');
    expect(vv).toContain('[virt-viewer]');
    expect(vv).toContain(`port=${port}`);
    await card.getByRole('status').filter({ hasText: 'Password valid until' }).waitFor();

    // Snapshots on the card: create one; Restore is refused while the VM runs.
    await card.getByText('Snapshots').click();
    await card.getByLabel('New snapshot of va-up').fill('portal snap');
    await card.getByRole('button', { name: 'Create snapshot' }).click();
    const list = card.getByRole('list', { name: 'Snapshots of va-up' });
    await list.getByText('portal snap').waitFor();
    await poll(() => refusedCodes(list, 'Restore')).toBe('VM_IS_RUNNING');
    expect(await t.engine.db.snapshot.count({ where: { description: 'portal snap', withMemory: true } })).toBe(1);
    await shot('portal-cards');

    // Reboot: the card's badge moves through the reboot and back to Up, without a reload.
    await markPage();
    await poll(() => card.getByRole('button', { name: 'Reboot' }).isEnabled()).toBe(true);
    const seen: string[] = [];
    const watching = (async () => {
      for (let i = 0; i < 300 && !(seen.length > 1 && seen.at(-1) === 'UP'); i++) {
        const s = await card
          .locator('header [data-status]')
          .getAttribute('data-status')
          .catch(() => null);
        if (s && seen.at(-1) !== s) seen.push(s);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await card.getByRole('button', { name: 'Reboot' }).click();
    await watching;
    expect(seen).toEqual(['UP', 'REBOOT_IN_PROGRESS', 'UP']);
    expect(await stillSamePage()).toBe(true);
  });
  it('previews a snapshot taken with memory with its memory: the panel says the next run resumes it; Undo forgets it', async () => {
    const disks = [{ alias: 'va-mem_Disk1', storageDomain: inv.storage.id, provisionedSizeBytes: 1 * GiB, bootable: true }];
    const vm = (await mutate(t, 'addVm', { name: 'va-mem', cluster: inv.cluster.id, memoryMb: 512, disks }, 'vm')).id;
    const status = async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { status } } }`, { id: vm })).data.node.status;
    expect((await runVm(vm)).__typename).toBe('MutationRunVmSuccess');
    await poll(status, 30_000).toBe('UP');
    await mutate(t, 'createSnapshot', { vm, description: 'mem point', withMemory: true }, 'snapshot');
    await t.gql(`mutation($id: ID!) { stopVm(input: { id: $id }) { __typename } }`, { id: vm });
    await poll(status, 30_000).toBe('DOWN');
    await page.goto(`${server.origin}/vms/${vm}`);
    const panel = page.getByRole('region', { name: 'Snapshots' });
    await panel.getByRole('row', { name: /mem point/ }).waitFor();
    await poll(() => panel.getByRole('button', { name: 'Preview', exact: true }).isEnabled()).toBe(true);
    await panel.getByRole('button', { name: 'Preview', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: /^Preview snapshot mem point/ });
    const restore = confirm.getByRole('checkbox', { name: /Restore memory/ });
    expect(await restore.isChecked()).toBe(true);
    await confirm.getByRole('button', { name: 'Preview', exact: true }).click();
    await poll(() => confirm.count()).toBe(0);
    await poll(() => panel.getByTestId('resumes-from-memory').textContent()).toContain(
      "resumes the guest from the previewed snapshot's memory",
    );
    await shot('vm-snapshot-preview-memory');
    await poll(() => panel.getByRole('button', { name: 'Undo', exact: true }).isEnabled()).toBe(true);
    await panel.getByRole('button', { name: 'Undo', exact: true }).click();
    await poll(() => panel.getByTestId('resumes-from-memory').count()).toBe(0);
  });
});
