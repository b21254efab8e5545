// The built-in reports, from history the simulated hosts' agents report over graphql-ws: the
// `report` query (rows one may see, busiest first) and its downloads as CSV (parsed) and PDF
// (its text read back with poppler's pdftotext, its first page rendered with pdftoppm).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { userWithRole } from '../support/inventory.ts';
import { act, addVm, carryVmNet, startLab, vmReaches, type Lab } from '../vm/lifecycleSupport.ts';

const REPORT = `query($kind: ReportKind!, $from: DateTime!, $cluster: ID, $top: Int) {
  report(kind: $kind, from: $from, cluster: $cluster, top: $top) { title columns { key label unit } rows { cells } chart { title bars { label value } } } }`;

describe('reports', () => {
  let t: TestEngine;
  let lab: Lab;
  let vms: { id: string; gid: string }[];
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-reports-'));

  beforeAll(async () => {
    // The engine counts availability at the rate its agents report (here every 100 ms).
    t = await startTestEngine({ engine: { monitoring: { reportIntervalMs: 100 } } });
    // As server/main.ts does: the history is written every 10 s, the watchdog runs.
    t.engine.monitoring.start();
    lab = await startLab(t, 'rep', 2);
    await carryVmNet(t, lab, lab.hosts);
    vms = [await addVm(t, lab, 'rep-web'), await addVm(t, lab, 'rep-db'), await addVm(t, lab, 'rep-idle')];
    for (const vm of vms.slice(0, 2)) {
      expect((await act(t, 'runVm', { id: vm.gid })).__typename).toBe('MutationRunVmSuccess');
      await vmReaches(t, vm.id, 'UP');
    }
    // Samples reach the history in batches (every 10 s at most).
    await vi.waitFor(
      async () => {
        const rows = (await t.gql(REPORT, { kind: 'VM_UTILISATION', from })).data.report.rows;
        expect(rows.length).toBe(2);
      },
      { timeout: 20_000, interval: 500 },
    );
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the top consumers busiest first, with only the VMs that ran', async () => {
    const r = (await t.gql(REPORT, { kind: 'VM_UTILISATION', from })).data.report;
    expect(r.columns.map((c: { key: string }) => c.key)).toEqual([
      'vm',
      'cluster',
      'samples',
      'cpuAvg',
      'cpuMax',
      'memUsedAvg',
      'netAvg',
      'diskAvg',
    ]);
    const rows: string[][] = r.rows.map((row: { cells: string[] }) => row.cells);
    expect(rows.map((row) => row[0]).sort()).toEqual(['rep-db', 'rep-web']);
    for (const row of rows) {
      expect(Number(row[2])).toBeGreaterThan(0);
      expect(Number(row[4])).toBeGreaterThanOrEqual(Number(row[3]));
    }
    expect(Number(rows[0]![3])).toBeGreaterThanOrEqual(Number(rows[1]![3]));
    expect(r.chart.bars.map((b: { label: string }) => b.label)).toEqual(rows.map((row) => row[0]));
    const top1 = (await t.gql(REPORT, { kind: 'VM_UTILISATION', from, top: 1 })).data.report.rows;
    expect(top1.map((row: { cells: string[] }) => row.cells[0])).toEqual([rows[0]![0]]);
  });

  it('counts availability from what ran: the idle VM 0 %, the running ones more', async () => {
    const rows: string[][] = (await t.gql(REPORT, { kind: 'VM_AVAILABILITY', from })).data.report.rows.map(
      (row: { cells: string[] }) => row.cells,
    );
    expect(rows[0]![0]).toBe('rep-idle');
    expect(Number(rows[0]![5])).toBe(0);
    for (const row of rows.slice(1)) expect(Number(row[5])).toBeGreaterThan(0);
  });

  it('shows the hosts, the cluster capacity and the inventory', async () => {
    const hosts: string[][] = (await t.gql(REPORT, { kind: 'HOST_UTILISATION', from, cluster: lab.clusterGid })).data.report.rows.map(
      (row: { cells: string[] }) => row.cells,
    );
    expect(hosts.map((h) => h[0]).sort()).toEqual(['rep-h1', 'rep-h2']);
    expect(hosts.every((h) => Number(h[2]) > 0)).toBe(true);
    const [capacity] = (await t.gql(REPORT, { kind: 'CLUSTER_CAPACITY', from })).data.report.rows.map(
      (row: { cells: string[] }) => row.cells,
    );
    // Two hosts of 16 GiB, three VMs of 2 GiB.
    expect(capacity.slice(0, 3)).toEqual(['rep-cluster', '2', '2']);
    expect(capacity.slice(5, 8)).toEqual(['32768', '6144', '18.75']);
    const [inv] = (await t.gql(REPORT, { kind: 'INVENTORY', from })).data.report.rows.map((row: { cells: string[] }) => row.cells);
    expect(inv).toEqual(['rep-dc', 'rep-cluster', '2', '2', '3', '2', '0']);
  });

  it('shows a user with a role on one VM only that VM', async () => {
    const token = await userWithRole(t, 'rep-user', 'UserRole', vms[0]!.gid);
    const r = await t.gqlAs(token, REPORT, { kind: 'VM_UTILISATION', from });
    expect(r.data.report.rows.map((row: { cells: string[] }) => row.cells[0])).toEqual(['rep-web']);
    const hosts = await t.gqlAs(token, REPORT, { kind: 'HOST_UTILISATION', from });
    expect(hosts.data.report.rows).toEqual([]);
  });

  it('refuses a window that ends before it starts, with BAD_INPUT', async () => {
    const r = await t.gql('query($f: DateTime!, $to: DateTime!) { report(kind: INVENTORY, from: $f, to: $to) { title } }', {
      f: from,
      to: new Date(Date.now() - 7_200_000).toISOString(),
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });

  it('downloads the report as CSV and as a PDF with its chart and rows, for a logged-in user only', async () => {
    const server = await t.listen();
    try {
      const get = (p: string, token: string | null = t.adminToken) =>
        fetch(`${server.url.replace(/\/graphql$/, '')}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect((await get(`/reports/vm-utilisation.csv?from=${from}`, null)).status).toBe(401);
      expect((await get('/reports/vm-utilisation.csv?from=yesterday')).status).toBe(400);
      expect((await get(`/reports/no-such-report.csv?from=${from}`)).status).toBe(404);

      const csv = await get(`/reports/vm-utilisation.csv?from=${from}`);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const table: string[][] = parse(await csv.text());
      expect(table[0]).toEqual([
        'VM',
        'Cluster',
        'Samples',
        'CPU mean (%)',
        'CPU max (%)',
        'Memory used mean (MiB)',
        'Network mean (B/s)',
        'Disk I/O mean (B/s)',
      ]);
      expect(
        table
          .slice(1)
          .map((row) => row[0])
          .sort(),
      ).toEqual(['rep-db', 'rep-web']);

      const pdf = await get(`/reports/VM_UTILISATION.pdf?from=${from}`);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const file = path.join(dir, 'vm.pdf');
      fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Vireo: VM utilisation: top consumers');
      expect(text).toContain('CPU mean of the top consumers (%)');
      for (const row of table.slice(1)) expect(text).toMatch(new RegExp(`${row[0]}\\s+rep-cluster\\s+${row[2]}\\s+${row[3]}`));
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
      const png = fs.readFileSync(
        fs
          .readdirSync(dir)
          .map((f) => path.join(dir, f))
          .find((f) => f.endsWith('.png'))!,
      );
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await server.stop();
    }
  });
});
