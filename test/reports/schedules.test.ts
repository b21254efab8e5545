// Scheduled reports: made when their cron time comes (the engine's clock moved by the test), kept
// for download, mailed with the file attached through a real SMTP server on loopback
// (smtp-server), exported as JSON and imported back; a refused mail is a failed run and an event.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, userWithRole } from '../support/inventory.ts';

let t: TestEngine;
let smtp: SMTPServer;
const mails: ParsedMail[] = [];
const refused = new Set<string>();
let clock = Date.parse('2026-12-01T05:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-schedules-'));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) return callback(Object.assign(new Error('mailbox full'), { responseCode: 552 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await startTestEngine({
    engine: {
      monitoring: { now: () => new Date(clock) },
      mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'vireo@example.org', retries: 1, minRetryMs: 20 },
    },
  });
  await buildInventory(t, 'sch');
});
afterAll(async () => {
  await t.engine.reportSchedules.stop();
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const ADD = `mutation($i: AddReportScheduleInput!) { addReportSchedule(input: $i) { __typename
  ... on MutationAddReportScheduleSuccess { reportSchedule { id name nextRunAt } } ... on Error { code message } ... on ValidationError { reasons { code } } } }`;
const SCHEDULES =
  '{ reportSchedules { id name kind windowHours format cron emailTo nextRunAt runs { id fileName contentType bytes mailedTo error } } }';
const daily = {
  name: 'daily-inventory',
  kind: 'INVENTORY',
  windowHours: 24,
  format: 'PDF',
  cron: '0 6 * * *',
  emailTo: ['ops@example.org'],
};

describe('scheduled reports', () => {
  let scheduleId: string;

  it('refuses a schedule whose cron expression is not one, with nothing made', async () => {
    const check = await t.gql('query($i: AddReportScheduleInput!) { canAddReportSchedule(input: $i) { allowed reasons { code } } }', {
      i: { ...daily, cron: 'every morning' },
    });
    expect(check.data.canAddReportSchedule.allowed).toBe(false);
    expect(check.data.canAddReportSchedule.reasons.map((r: { code: string }) => r.code)).toEqual(['REPORT_SCHEDULE_BAD_CRON']);
    const res = await t.gql(ADD, { i: { ...daily, cron: 'every morning' } });
    expect(res.data.addReportSchedule.reasons.map((r: { code: string }) => r.code)).toEqual(['REPORT_SCHEDULE_BAD_CRON']);
    expect((await t.gql(SCHEDULES)).data.reportSchedules).toEqual([]);
  });

  it('makes the report at its time, keeps it and mails it attached', async () => {
    const added = (await t.gql(ADD, { i: daily })).data.addReportSchedule;
    expect(added.__typename).toBe('MutationAddReportScheduleSuccess');
    expect(added.reportSchedule.nextRunAt).toBe('2026-12-01T06:00:00.000Z');
    scheduleId = added.reportSchedule.id;
    expect(await t.engine.reportSchedules.runDue()).toBe(0);

    clock = Date.parse('2026-12-01T06:00:05Z');
    expect(await t.engine.reportSchedules.runDue()).toBe(1);
    expect(await t.engine.reportSchedules.runDue()).toBe(0);
    const [schedule] = (await t.gql(SCHEDULES)).data.reportSchedules;
    expect(schedule.nextRunAt).toBe('2026-12-02T06:00:00.000Z');
    const [run] = schedule.runs;
    expect(run).toMatchObject({
      fileName: 'daily-inventory-2026-12-01T0600.pdf',
      contentType: 'application/pdf',
      mailedTo: ['ops@example.org'],
      error: '',
    });

    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('[Vireo] Inventory (daily-inventory)');
    const [attachment] = mails[0]!.attachments;
    expect(attachment!.filename).toBe(run.fileName);
    expect(attachment!.content.length).toBe(run.bytes);
    fs.writeFileSync(path.join(dir, 'mailed.pdf'), attachment!.content);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'mailed.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Vireo: Inventory');
    expect(text).toMatch(/sch-dc\s+sch-cluster\s+0\s+0\s+0\s+0\s+0/);

    const server = await t.listen();
    try {
      const origin = server.url.replace(/\/graphql$/, '');
      const get = (token: string) => fetch(`${origin}/reports/runs/${run.id}`, { headers: { authorization: `Bearer ${token}` } });
      const download = await get(t.adminToken);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${run.fileName}"`);
      expect(Buffer.from(await download.arrayBuffer()).equals(attachment!.content)).toBe(true);
      const user = await userWithRole(
        t,
        'sch-user',
        'UserRole',
        (await t.gql('{ clusters(first: 1) { edges { node { id } } } }')).data.clusters.edges[0].node.id,
      );
      expect((await get(user)).status).toBe(403);
    } finally {
      await server.stop();
    }
  });

  it('records a run whose mail was refused as failed, with an event saying why', async () => {
    refused.add('ops@example.org');
    clock = Date.parse('2026-12-02T06:00:01Z');
    expect(await t.engine.reportSchedules.runDue()).toBe(1);
    refused.clear();
    const [schedule] = (await t.gql(SCHEDULES)).data.reportSchedules;
    expect(schedule.runs).toHaveLength(2);
    expect(schedule.runs[0].error).toContain('mailbox full');
    expect(schedule.runs[0].mailedTo).toEqual([]);
    const events = (await t.gql('{ events(first: 5) { edges { node { code message } } } }')).data.events.edges.map(
      (e: { node: { code: string; message: string } }) => e.node,
    );
    expect(events.find((e: { code: string }) => e.code === 'REPORT_SCHEDULE_FAILED').message).toContain('daily-inventory failed: ');
  });

  it('exports the definitions as JSON and imports them back, all or none', async () => {
    const json = (await t.gql('{ exportReportSchedules }')).data.exportReportSchedules;
    expect(JSON.parse(json)).toEqual({ version: 1, reportSchedules: [{ ...daily, top: null, cluster: null }] });
    const IMPORT = `mutation($json: String!) { importReportSchedules(input: { json: $json }) { __typename
      ... on MutationImportReportSchedulesSuccess { imported { reportSchedules { name cron } } } ... on Error { code message } ... on ValidationError { reasons { code } } } }`;
    expect((await t.gql(IMPORT, { json })).data.importReportSchedules.reasons.map((r: { code: string }) => r.code)).toEqual([
      'REPORT_SCHEDULE_NAME_ALREADY_USED',
    ]);
    expect((await t.gql(IMPORT, { json: '{"version":1' })).data.importReportSchedules.code).toBe('BAD_INPUT');

    const removed = await t.gql('mutation($id: ID!) { removeReportSchedule(input: { id: $id }) { __typename } }', { id: scheduleId });
    expect(removed.data.removeReportSchedule.__typename).toBe('MutationRemoveReportScheduleSuccess');
    const renamed = json.replace('"daily-inventory"', '"weekly-inventory"').replace('"0 6 * * *"', '"0 7 * * 1"');
    const both = JSON.stringify({
      version: 1,
      reportSchedules: [...JSON.parse(json).reportSchedules, ...JSON.parse(renamed).reportSchedules],
    });
    const imported = (await t.gql(IMPORT, { json: both })).data.importReportSchedules;
    expect(imported.imported.reportSchedules).toEqual([
      { name: 'daily-inventory', cron: '0 6 * * *' },
      { name: 'weekly-inventory', cron: '0 7 * * 1' },
    ]);
    expect((await t.gql(SCHEDULES)).data.reportSchedules.map((s: { name: string; runs: unknown[] }) => [s.name, s.runs.length])).toEqual([
      ['daily-inventory', 0],
      ['weekly-inventory', 0],
    ]);
  });
});
