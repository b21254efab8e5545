// Alert e-mail through a real SMTP server on loopback (smtp-server, from the nodemailer project):
// a rule's recipients get its firing and its resolution; a server that refuses the mail leaves
// an ALERT_EMAIL_FAILED event saying why, after the retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { hello, hostWithToken, report, send } from '../monitoring/support.ts';

let t: TestEngine;
let smtp: SMTPServer;
const mails: ParsedMail[] = [];
/** Recipients the server refuses (a full mailbox). */
const refused = new Set<string>();

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
    engine: { mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'vireo@example.org', retries: 1, minRetryMs: 20 } },
  });
});
afterAll(async () => {
  await t.engine.monitoring.stop();
  await t.engine.alerts.stop();
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const ADD = `mutation($i: AddAlertRuleInput!) { addAlertRule(input: $i) { __typename ... on MutationAddAlertRuleSuccess { alertRule { id emailTo } } ... on Error { code message } } }`;

async function mailsFor(n: number) {
  for (let i = 0; i < 100 && mails.length < n; i++) await new Promise((r) => setTimeout(r, 50));
  return mails;
}

describe('alert e-mail', () => {
  it("mails a rule's recipients when it fires and when it is resolved", async () => {
    const host = await hostWithToken(t, 'mailhost');
    await send(t, 'hello', host, hello);
    const added = await t.gql(ADD, {
      i: {
        name: 'host-busy',
        kind: 'THRESHOLD',
        subject: 'HOST',
        figure: 'CPU_PERCENT',
        comparison: 'ABOVE',
        threshold: 50,
        emailTo: ['ops@example.org', 'oncall@example.org'],
      },
    });
    expect(added.data.addAlertRule.alertRule.emailTo).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(
      (await t.gql(ADD, { i: { name: 'bad-mail', kind: 'EVENT', eventCode: 'VDS_FAILURE', emailTo: ['not an address'] } })).data
        .addAlertRule.code,
    ).toBe('BAD_INPUT');

    const busy = report(1, []);
    busy.host.cpuUserPercent = 70;
    await send(t, 'report', host, busy);
    const [fired] = await mailsFor(1);
    expect(fired!.subject).toBe('[Vireo] Alert host-busy fired for mailhost: CPU % 72 above 50.');
    expect(fired!.from?.text).toBe('vireo@example.org');
    expect((Array.isArray(fired!.to) ? fired!.to : [fired!.to]).map((a) => a?.text).join(', ')).toBe('ops@example.org, oncall@example.org');
    expect(fired!.text).toContain('Alert rule: host-busy');

    await send(t, 'report', host, report(2, []));
    const second = (await mailsFor(2))[1];
    expect(second?.subject).toBe('[Vireo] Alert host-busy for mailhost is resolved.');
  });

  it('a refused mail is an event saying why, after the retries', async () => {
    refused.add('full@example.org');
    const before = mails.length;
    await t.gql(ADD, { i: { name: 'dc-added', kind: 'EVENT', eventCode: 'USER_ADD_STORAGE_POOL', emailTo: ['full@example.org'] } });
    await t.gql('mutation { addDataCenter(input: { name: "mail-dc" }) { __typename } }');
    await t.engine.alerts.idle();
    await t.engine.alerts.mail.idle();
    const events = (await t.gql('{ events(filter: { code: "ALERT_EMAIL_FAILED" }) { edges { node { severity message } } } }')).data.events
      .edges;
    expect(events).toHaveLength(1);
    expect(events[0].node.severity).toBe('WARNING');
    expect(events[0].node.message).toMatch(/^Alert e-mail about dc-added to full@example.org could not be sent: .*mailbox full/);
    expect(mails.length).toBe(before);
  });
});
