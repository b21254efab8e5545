// The Reports page in Chromium: a report of VMs that ran on a simulated host, chosen in the form,
// shown as bars and a table, and downloaded as CSV and PDF through the portal's buttons.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { act, addVm, carryVmNet, startLab, vmReaches, type Lab } from '../vm/lifecycleSupport.ts';
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

describe.skipIf(!runBrowserTests)('the Reports page in Chromium', () => {
  let t: TestEngine;
  let lab: Lab;
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine({ engine: { monitoring: { reportIntervalMs: 100 } } });
    t.engine.monitoring.start();
    lab = await startLab(t, 'rpt', 1);
    await carryVmNet(t, lab, lab.hosts);
    const vm = await addVm(t, lab, 'rpt-web');
    expect((await act(t, 'runVm', { id: vm.gid })).__typename).toBe('MutationRunVmSuccess');
    await vmReaches(t, vm.id, 'UP');
    await vi.waitFor(
      async () => {
        const r = await t.gql('query($f: DateTime!) { report(kind: VM_UTILISATION, from: $f) { rows { cells } } }', {
          f: new Date(Date.now() - 3_600_000).toISOString(),
        });
        expect(r.data.report.rows.length).toBe(1);
      },
      { timeout: 20_000, interval: 500 },
    );
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  }, 90_000);
  afterAll(async () => {
    await lab?.stop();
    await t?.engine.monitoring.stop();
    await stopBrowserTest(browser, server, t);
  });

  it('shows the top consumers as bars and rows, and downloads them as CSV and PDF', async () => {
    await page.goto(`${server.origin}/reports`);
    const form = page.getByRole('form', { name: 'Report' });
    await form.getByLabel('Report').selectOption({ label: 'VM utilisation: top consumers' });
    await form.getByLabel('Window').selectOption({ label: 'Last hour' });
    const table = page.getByRole('table', { name: 'VM utilisation: top consumers' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 10_000 }).toBe(2);
    const cells = await table.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['rpt-web', 'rpt-cluster']);
    expect(Number(cells[2])).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('figure', { name: 'CPU mean of the top consumers' }).textContent()).toContain('rpt-web');
    await page.screenshot({ path: path.join(SHOTS, 'reports-vm-utilisation.png'), fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('vm-utilisation.csv');
    const text = fs.readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'VM,Cluster,Samples,CPU mean (%),CPU max (%),Memory used mean (MiB),Network mean (B/s),Disk I/O mean (B/s)',
    );
    expect(text).toContain('rpt-web,rpt-cluster,');

    const [pdf] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(pdf.suggestedFilename()).toBe('vm-utilisation.pdf');
    expect(
      fs
        .readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});
