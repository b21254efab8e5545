// Template import in a real browser, from the Templates page: the oVirt engine descriptor of
// shared/fixtures/ovf made a template (preview, import, the new row), its refusals (the same
// template twice, a VM descriptor), and a template's OVA uploaded as a clone with a network
// mapping, including a refusal that only the import itself finds (its code shown).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { IMPORT_TEMPLATE, gqlUpload } from '../ovf/engineSupport.ts';
import { OVIRT_VM_ID, ovirtTemplateDescriptor, shared } from '../ovf/descriptors.ts';
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

const WARNINGS = `query($i: ImportTemplateInput!) { ovfTemplateImportPreview(input: $i) { warnings { code } } }`;

describe.skipIf(!runBrowserTests)('template import in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  let net2: { id: string };
  /** The OVA of template tpl-base (NICs on tpl-vmnet and tpl-backup), from GET /ova/template/<id>. */
  let ovaFile: string;
  let storageHost: Awaited<ReturnType<typeof startStorageHost>> | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-ui-template-ova-'));

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    server = await serveEngineWithUi(t);
    inv = await buildInventory(t, 'tpl');
    storageHost = await startStorageHost(t, inv.cluster.id, 'tpl-h1'); // the data center's image work
    // Not required of the hosts, which do not carry it: a host lacking a required network is NonOperational.
    net2 = await mutate(
      t,
      'addNetwork',
      { name: 'tpl-backup', dataCenter: inv.dc.id, vlanId: 20, clusters: [{ cluster: inv.cluster.id, required: false }] },
      'network',
    );
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'tpl-base-vm',
        cluster: inv.cluster.id,
        memoryMb: 2048,
        nics: [
          { name: 'nic1', network: inv.vmNet.id },
          { name: 'nic2', network: net2.id },
        ],
        disks: [{ alias: 'tpl-base-os', storageDomain: inv.storage.id, provisionedSizeBytes: 4 * GiB, bootable: true }],
      },
      'vm',
    );
    const template = await mutate(t, 'addTemplate', { vm: vm.id, name: 'tpl-base' }, 'template');
    const ova = await t.yoga.fetch(`http://vireo.test/ova/template/${encodeURIComponent(template.id)}`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(ova.headers.get('content-type')).toBe('application/x-tar');
    ovaFile = path.join(tmp, 'tpl-base.ova');
    fs.writeFileSync(ovaFile, Buffer.from(await ova.arrayBuffer()));
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await storageHost?.stop();
    await stopBrowserTest(browser, server, t);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const dialog = () => page.getByRole('dialog', { name: 'Import template' });
  const templateRow = (name: string) => page.getByRole('table', { name: 'templates' }).locator('tbody tr', { hasText: name });
  const codes = (where: Locator) => where.locator('[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  const ovfFile = (name: string, text: string) => ({ name, mimeType: 'application/xml', buffer: Buffer.from(text) });

  /** Opens Import template on the Templates page, chooses `file` and the cluster, and previews. */
  async function previewImport(file: string | ReturnType<typeof ovfFile>, fill?: (d: Locator) => Promise<void>) {
    await page.getByRole('button', { name: 'Import template' }).click();
    const d = dialog();
    await d.locator('input[type=file]').setInputFiles(file);
    await d.getByLabel('Cluster').selectOption({ label: 'tpl-cluster (tpl-dc)' });
    await expect.poll(() => d.getByLabel('Storage domain').inputValue()).toBe(inv.storage.id);
    await fill?.(d);
    await d.getByRole('button', { name: 'Preview' }).click();
    await d
      .getByTestId('import-preview')
      .waitFor({ timeout: 10_000 })
      .catch(async (e) => {
        await shot('admin-template-import-failed');
        throw e;
      });
    return d;
  }

  /** Clicks Import (once the preview allows it), closes the dialog and waits for the new row. */
  async function importAndSee(d: Locator, name: string) {
    await expect.poll(() => d.getByRole('button', { name: 'Import', exact: true }).isEnabled()).toBe(true);
    await d.getByRole('button', { name: 'Import', exact: true }).click();
    const done = d.getByTestId('import-done');
    await done.waitFor({ timeout: 15_000 }).catch(async (e) => {
      await shot('admin-template-import-failed');
      throw e;
    });
    expect(await done.textContent()).toContain(`Imported ${name}`);
    await d.getByRole('button', { name: 'Close' }).last().click();
    await templateRow(name).waitFor();
  }

  it('imports an oVirt template OVF with a preview, and refuses it a second time and a VM descriptor, with their codes', async () => {
    const ovf = ovirtTemplateDescriptor();
    await page.goto(`${server.origin}/templates`);
    await templateRow('tpl-base').waitFor();
    const d = await previewImport(ovfFile('exporttedVM-template.ovf', ovf));
    const preview = d.getByTestId('import-preview');
    expect(await preview.getByRole('heading', { name: 'The template this import creates' }).count()).toBe(1);
    expect(await preview.getByTestId('preview-name').textContent()).toBe('exporttedVM');
    expect(await d.getByRole('table', { name: 'disks to import' }).textContent()).toContain('exporttedVM_Disk1');
    // The warnings shown are every warning the engine gives for the same input.
    const api = await t.gql(WARNINGS, { i: { ovf, cluster: inv.cluster.id, storageDomain: inv.storage.id, clone: false, networks: [] } });
    const shown = await codes(d.getByRole('list', { name: 'import warnings' }));
    expect(shown).toEqual(api.data.ovfTemplateImportPreview.warnings.map((w: { code: string }) => w.code));
    expect(shown).toContain('DISK_DATA_NOT_IMPORTED');
    await shot('admin-template-import-preview');
    await importAndSee(d, 'exporttedVM');
    expect((await t.engine.db.template.findUniqueOrThrow({ where: { id: OVIRT_VM_ID } })).name).toBe('exporttedVM');

    // The same descriptor again: the template exists; the preview says so and Import is refused.
    const again = await previewImport(ovfFile('exporttedVM-template.ovf', ovf));
    await again.getByTestId('import-refused').waitFor();
    expect(await codes(again.getByTestId('import-refused'))).toContain('TEMPLATE_ALREADY_EXISTS');
    await expect.poll(() => again.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    expect(await again.locator('[data-refused]').getAttribute('data-refused')).toContain('TEMPLATE_ALREADY_EXISTS');
    await again.getByRole('button', { name: 'Cancel' }).scrollIntoViewIfNeeded(); // the dialog scrolls: show the refused button
    await shot('admin-template-import-refused');

    // The same oVirt object as a VM (its TemplateId is the blank template): not a template.
    await again.locator('input[type=file]').setInputFiles(ovfFile('exporttedVM.ovf', shared('ovirt-engine_vmOvfData.xml')));
    await again.getByRole('button', { name: 'Preview' }).click();
    const refused = again.getByTestId('import-refused');
    await expect.poll(() => codes(refused)).toContain('OVF_NOT_A_TEMPLATE');
    expect(await refused.textContent()).toContain('import it with importVm');
    await expect.poll(() => again.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await again.getByRole('button', { name: 'Cancel' }).scrollIntoViewIfNeeded();
    await shot('admin-template-import-not-a-template');
    await again.getByRole('button', { name: 'Cancel' }).click();
    expect(await t.engine.db.template.count({ where: { name: 'exporttedVM' } })).toBe(1);
  });

  it("uploads a template's OVA as a clone with a network mapping; a refusal the import itself finds shows its code", async () => {
    await page.goto(`${server.origin}/templates`);
    const d = await previewImport(ovaFile, async (form) => {
      await form.getByLabel('Name', { exact: true }).fill('tpl-base-copy');
      await form.getByLabel('Import as clone').check();
    });
    // Both source networks are mapped to the networks of the same name, and previewed so; unmap one.
    await expect.poll(() => d.getByLabel('Network for tpl-vmnet').inputValue(), { timeout: 15_000 }).toBe(inv.vmNet.id);
    expect(await d.getByLabel('Network for tpl-backup').inputValue()).toBe(net2.id);
    const nics = d.getByRole('table', { name: 'NICs to import' });
    const target = (nic: string) => nics.locator('tbody tr', { hasText: nic }).locator('td').nth(2).textContent();
    await expect.poll(async () => [await target('nic1'), await target('nic2')], { timeout: 15_000 }).toEqual(['tpl-vmnet', 'tpl-backup']);
    await d.getByLabel('Network for tpl-backup').selectOption({ label: 'No network' });
    await expect.poll(async () => [await target('nic1'), await target('nic2')], { timeout: 15_000 }).toEqual(['tpl-vmnet', 'none']);
    expect(await d.getByTestId('preview-name').textContent()).toBe('tpl-base-copy');
    const input = {
      cluster: inv.cluster.id,
      storageDomain: inv.storage.id,
      clone: true,
      name: 'tpl-base-copy',
      networks: [
        { source: 'tpl-vmnet', network: inv.vmNet.id },
        { source: 'tpl-backup', network: null },
      ],
    };
    const api = await gqlUpload(t, WARNINGS, input, fs.readFileSync(ovaFile), 'tpl-base.ova');
    expect(await codes(d.getByRole('list', { name: 'import warnings' }))).toEqual(
      api.data.ovfTemplateImportPreview.warnings.map((w: { code: string }) => w.code),
    );
    await shot('admin-template-import-ova-preview');
    await importAndSee(d, 'tpl-base-copy');
    const copy = await t.engine.db.template.findFirstOrThrow({
      where: { name: 'tpl-base-copy' },
      include: { nics: { include: { network: true }, orderBy: { name: 'asc' } } },
    });
    expect(copy.nics.map((n) => [n.name, n.network?.name ?? null])).toEqual([
      ['nic1', 'tpl-vmnet'],
      ['nic2', null],
    ]);

    // Previewed as allowed, then the name is taken before Import is clicked: the import's own
    // refusal is shown with its code, and nothing more is created.
    const late = await previewImport(ovaFile, async (form) => {
      await form.getByLabel('Name', { exact: true }).fill('tpl-base-late');
      await form.getByLabel('Import as clone').check();
    });
    // Settled: the networks are mapped and the preview that follows it has answered "allowed".
    await expect.poll(() => late.getByLabel('Network for tpl-backup').inputValue(), { timeout: 15_000 }).toBe(net2.id);
    const button = late.getByRole('button', { name: 'Import', exact: true });
    await expect
      .poll(async () => `${await button.getAttribute('aria-busy')} ${await button.isEnabled()}`, { timeout: 15_000 })
      .toBe('false true');
    const first = await gqlUpload(t, IMPORT_TEMPLATE, { ...input, name: 'tpl-base-late' }, fs.readFileSync(ovaFile), 'tpl-base.ova');
    expect(first.data.importTemplate.__typename).toBe('MutationImportTemplateSuccess');
    await button.click();
    const error = late.locator('.action-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.getAttribute('data-code')).toBe('TEMPLATE_NAME_ALREADY_USED');
    expect(await error.textContent()).toContain('tpl-base-late');
    await shot('admin-template-import-error');
    await late.getByRole('button', { name: 'Cancel' }).click();
    expect(await t.engine.db.template.count({ where: { name: 'tpl-base-late' } })).toBe(1);
  });
});
