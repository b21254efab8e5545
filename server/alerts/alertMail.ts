// Alert e-mail: each firing and resolution of a rule with `emailTo`, sent through the SMTP server of
// VIREO_SMTP_URL (nodemailer), retried with back-off (p-retry); a mail that could not be sent is
// an ALERT_EMAIL_FAILED event saying why.
import nodemailer, { type Transporter } from 'nodemailer';
import pRetry from 'p-retry';
import type { Db } from '../db.ts';
import type { PubSub } from '../pubsub.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import type { AlertNews } from './alertWrites.ts';

export interface MailSettings {
  /** smtp://user:password@host:port (smtps:// for TLS from the start). */
  smtpUrl: string;
  from: string;
  /** Attempts after the first (default 4) and the first wait (default 1 s, doubling). */
  retries?: number;
  minRetryMs?: number;
}

export class AlertMail {
  private readonly transport: Transporter | null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly settings: MailSettings | null,
  ) {
    this.transport = settings ? nodemailer.createTransport(settings.smtpUrl) : null;
  }

  /** Sends in the background; `idle()` waits for what was started. */
  send(to: string[], news: AlertNews) {
    if (!to.length) return;
    const sending = this.deliver(to, news).catch((e: unknown) => {
      console.error('alert e-mail failed:', e);
    });
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  async idle() {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  close() {
    this.transport?.close();
  }

  private async deliver(to: string[], news: AlertNews) {
    const transport = this.transport;
    let reason: string;
    if (!transport || !this.settings) {
      reason = 'no SMTP server is set (VIREO_SMTP_URL)';
    } else {
      const mail = {
        from: this.settings.from,
        to,
        subject: `[Vireo] ${news.message}`,
        text: `${news.message}\n\nAlert rule: ${news.ruleName}\nAlert: ${news.alertId}\n`,
      };
      try {
        await pRetry(() => transport.sendMail(mail), {
          retries: this.settings.retries ?? 4,
          minTimeout: this.settings.minRetryMs ?? 1000,
          factor: 2,
        });
        return;
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
      }
    }
    const id = await writeAuditLog(this.db, {
      code: 'ALERT_EMAIL_FAILED',
      vars: { ruleName: news.ruleName, to: to.join(', '), reason },
      userName: 'SYSTEM',
    });
    this.pubsub.publish('audit:created', { id });
  }
}
