// Scheduled reports: every few seconds, each schedule whose time has come is claimed (its next
// time moved forward, only if no other engine moved it first), made as its owner sees it, kept
// as a run (the last RUNS_KEPT of each schedule) and mailed with the file attached (nodemailer,
// retried with back-off). A run that could not be made or mailed says why, on the run and in a
// REPORT_SCHEDULE_FAILED event.
import nodemailer, { type Transporter } from 'nodemailer';
import pRetry from 'p-retry';
import type { Actor } from '../auth/actor.ts';
import type { MailSettings } from '../alerts/alertMail.ts';
import { visibilityOf, type Visibility } from '../auth/permissions.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import type { PubSub } from '../pubsub.ts';
import type { ReportSchedule } from '../../generated/prisma/client.ts';
import { buildReport, type ReportSource } from './build.ts';
import { reportCsv } from './csv.ts';
import { nextRun } from './cron.ts';
import { reportPdf } from './pdf.ts';
import type { ReportKind } from './report.ts';
import { SYSTEM_OWNER } from './systemOwner.ts';

const RUNS_KEPT = 20;
/** The engine itself (schedules it made): it sees everything. */
const SYSTEM_VIEW: Actor = { userId: null, userName: 'SYSTEM', groupIds: [], internal: true, sessionId: null };

export class ReportScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly transport: Transporter | null;

  constructor(
    private readonly engine: ReportSource & { pubsub: PubSub },
    private readonly mail: MailSettings | null,
  ) {
    this.transport = mail ? nodemailer.createTransport(mail.smtpUrl) : null;
  }

  start(everyMs = 10_000) {
    this.timer ??= setInterval(() => {
      this.running = this.running
        .then(async () => {
          await this.runDue();
        })
        .catch((e) => console.error('report schedules:', e));
    }, everyMs);
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.transport?.close();
  }

  /** Makes every schedule that is due; returns how many ran here. */
  async runDue(): Promise<number> {
    const db = this.engine.db;
    const now = this.engine.now();
    let ran = 0;
    for (const s of await db.reportSchedule.findMany({ where: { nextRunAt: { lte: now } }, orderBy: { nextRunAt: 'asc' }, take: 50 })) {
      const claimed = await db.reportSchedule.updateMany({
        where: { id: s.id, nextRunAt: s.nextRunAt },
        data: { nextRunAt: nextRun(s.cron, now) },
      });
      if (claimed.count !== 1) continue;
      await this.run(s, now);
      ran++;
    }
    return ran;
  }

  private async run(s: ReportSchedule, now: Date) {
    const db = this.engine.db;
    const fileName = `${s.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${now.toISOString().slice(0, 16).replace(/:/g, '')}.${s.format.toLowerCase()}`;
    const contentType = s.format === 'CSV' ? 'text/csv; charset=utf-8' : 'application/pdf';
    let content: Buffer<ArrayBuffer> = Buffer.alloc(0);
    let error = '';
    try {
      const report = await buildReport(this.engine, await this.ownerView(s), s.kind as ReportKind, {
        from: new Date(now.getTime() - s.windowHours * 3_600_000),
        to: now,
        clusterId: s.clusterId,
        top: s.top,
      });
      content = s.format === 'CSV' ? Buffer.from(reportCsv(report)) : await reportPdf(report, now);
      if (s.emailTo.length) await this.send(s, report.title, fileName, contentType, content);
    } catch (e) {
      error = (e as Error).message;
    }
    await db.reportRun.create({
      data: { scheduleId: s.id, ranAt: now, fileName, contentType, content, mailedTo: error ? [] : s.emailTo, error },
    });
    const old = await db.reportRun.findMany({
      where: { scheduleId: s.id },
      orderBy: { ranAt: 'desc' },
      skip: RUNS_KEPT,
      select: { id: true },
    });
    if (old.length) await db.reportRun.deleteMany({ where: { id: { in: old.map((r) => r.id) } } });
    const id = await writeAuditLog(
      db,
      error
        ? { code: 'REPORT_SCHEDULE_FAILED', vars: { scheduleName: s.name, reason: error }, userName: 'SYSTEM' }
        : { code: 'REPORT_SCHEDULE_RAN', vars: { scheduleName: s.name, to: s.emailTo.join(', ') || 'no one' }, userName: 'SYSTEM' },
    );
    this.engine.pubsub.publish('audit:created', { id });
  }

  /** What the schedule's owner may see now (a removed or disabled owner: an error). */
  private async ownerView(s: ReportSchedule): Promise<Visibility> {
    if (s.ownerId === SYSTEM_OWNER) return visibilityOf(this.engine.db, SYSTEM_VIEW);
    const user = await this.engine.db.user.findUnique({ where: { id: s.ownerId }, include: { groups: true } });
    if (!user) throw new Error('the user who made it no longer exists');
    if (!user.active) throw new Error(`its owner ${user.userName} is disabled`);
    const actor: Actor = {
      userId: user.id,
      userName: user.userName,
      groupIds: user.groups.map((g) => g.groupId),
      internal: false,
      sessionId: null,
    };
    return visibilityOf(this.engine.db, actor);
  }

  private async send(s: ReportSchedule, title: string, fileName: string, contentType: string, content: Buffer) {
    const transport = this.transport;
    if (!transport || !this.mail) throw new Error('no SMTP server is set (VIREO_SMTP_URL)');
    const mail = {
      from: this.mail.from,
      to: s.emailTo,
      subject: `[Vireo] ${title} (${s.name})`,
      text: `The scheduled report ${s.name}: ${title}, the last ${s.windowHours} hour(s). The report is attached.\n`,
      attachments: [{ filename: fileName, content, contentType }],
    };
    await pRetry(() => transport.sendMail(mail), { retries: this.mail.retries ?? 4, minTimeout: this.mail.minRetryMs ?? 1000, factor: 2 });
  }
}
