// Evaluates the alert rules against monitoring's stream: each report's host and VM samples
// (threshold rules), the statuses monitoring changes (status rules), the storage domains at most
// every STORAGE_EVERY_MS of reports, on the leading engine only (each engine sees only the reports
// it ingests, and storage domains are everyone's), and new events (event rules). Nothing polls the database:
// the rules are read once and again when one changes, the open alerts once and again then too.
import type { Db } from '../db.ts';
import type { PubSub } from '../pubsub.ts';
import type { AlertRule } from '../../generated/prisma/client.ts';
import type { AuditObjects } from '../audit/auditLog.ts';
import type { MonitoringOutcome } from '../monitoring/monitoring.ts';
import { crosses, FIGURE_LABEL, hostFigure, storageFigure, vmFigure } from './figures.ts';
import { fireAlert, resolveAlert } from './alertWrites.ts';
import { AlertMail, type MailSettings } from './alertMail.ts';

/** Storage domains change with actions, not reports: read with the reports, at most this often. */
const STORAGE_EVERY_MS = 10_000;

/** Event codes no rule may watch (an alert's own events would feed themselves). */
export const ALERT_CODES = ['ALERT_FIRED', 'ALERT_RESOLVED'];

interface Subject {
  id: string;
  name: string;
  objects: AuditObjects;
}

const key = (ruleId: string, objectId: string) => `${ruleId}:${objectId}`;

export class AlertEvaluator {
  private rules: Promise<AlertRule[]> | null = null;
  /** Open alerts by rule and object. */
  private open = new Map<string, string>();
  /** Threshold conditions holding, since when (ms), by rule and object. */
  private readonly holding = new Map<string, number>();
  /** Status conditions waiting out their rule's duration. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private chain: Promise<unknown> = Promise.resolve();
  private storageReadAt = 0;
  /** Whether this engine leads (evaluates the storage domains); an engine outside any election does. */
  private leading = true;
  private readonly iterators: AsyncIterator<unknown>[] = [];

  readonly mail: AlertMail;
  /** Each open alert's rule's recipients, for the mail of its resolution. */
  private readonly recipients = new Map<string, string[]>();

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly now: () => Date,
    mail: MailSettings | null = null,
  ) {
    this.mail = new AlertMail(db, pubsub, mail);
    this.follow(pubsub.subscribe('alertRule:changed'), () => {
      this.rules = null;
    });
    this.follow(pubsub.subscribe('audit:created'), (e: { id: string }) => this.queue(() => this.onEvent(e.id)));
  }

  /** Leadership changed: only the leader evaluates storage domains; the open alerts are read again (another engine may have fired some). */
  setLeading(leading: boolean) {
    this.leading = leading;
    this.queue(async () => {
      this.rules = null;
    });
  }

  /** Called by monitoring after each report and each host it marked NonResponsive. */
  observe(outcome: MonitoringOutcome) {
    this.queue(() => this.onOutcome(outcome));
  }

  /** Settles when everything observed so far has been evaluated. */
  async idle() {
    for (let before = this.chain; ; before = this.chain) {
      await before;
      if (before === this.chain) return;
    }
  }

  async stop() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.iterators.map((i) => i.return?.()));
    await this.idle();
    await this.mail.idle();
    this.mail.close();
  }

  private follow<T>(source: AsyncIterable<T>, each: (value: T) => void) {
    const it = source[Symbol.asyncIterator]();
    this.iterators.push(it);
    void (async () => {
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        each(next.value);
      }
    })();
  }

  private queue(work: () => Promise<void>) {
    this.chain = this.chain.then(work).catch((e: unknown) => {
      console.error('alert evaluation failed:', e);
    });
  }

  /** The enabled rules, read again after a rule changed; open alerts of rules no longer enabled are resolved. */
  private loadRules(): Promise<AlertRule[]> {
    this.rules ??= (async () => {
      const rules = await this.db.alertRule.findMany({ where: { enabled: true } });
      const open = await this.db.alert.findMany({
        where: { resolvedAt: null },
        select: { id: true, ruleId: true, hostId: true, vmId: true, storageDomainId: true, rule: { select: { emailTo: true } } },
      });
      const enabled = new Set(rules.map((r) => r.id));
      this.open = new Map();
      for (const a of open) {
        this.recipients.set(a.id, a.rule.emailTo);
        if (!enabled.has(a.ruleId)) {
          await this.resolveOne(a.id, this.now());
          continue;
        }
        this.open.set(key(a.ruleId, (a.hostId ?? a.vmId ?? a.storageDomainId)!), a.id);
      }
      for (const k of [...this.holding.keys()]) if (!enabled.has(k.split(':')[0]!)) this.holding.delete(k);
      for (const [k, t] of this.timers)
        if (!enabled.has(k.split(':')[0]!)) {
          clearTimeout(t);
          this.timers.delete(k);
        }
      return rules;
    })();
    return this.rules;
  }

  private async onOutcome(o: MonitoringOutcome) {
    const rules = await this.loadRules();
    if (!rules.length) return;
    const at = o.hostStats ? new Date(o.hostStats.sampledAt) : this.now();
    for (const rule of rules) {
      if (rule.kind !== 'THRESHOLD' || !rule.figure || !rule.comparison || rule.threshold === null) continue;
      if (rule.subject === 'HOST' && o.hostStats) {
        const s = o.hostStats;
        await this.threshold(rule, s.hostId, hostFigure(rule.figure, s), at, () => this.host(s.hostId));
      } else if (rule.subject === 'VM') {
        for (const s of o.vmStats)
          await this.threshold(rule, s.vmId, vmFigure(rule.figure, s), new Date(s.sampledAt), () => this.vm(s.vmId));
      }
    }
    if (
      this.leading &&
      rules.some((r) => r.kind === 'THRESHOLD' && r.subject === 'STORAGE_DOMAIN') &&
      at.getTime() - this.storageReadAt >= STORAGE_EVERY_MS
    ) {
      this.storageReadAt = at.getTime();
      await this.storage(rules, at);
    }
    if (o.hostChanged) await this.statuses(rules, 'HOST', [o.hostId]);
    if (o.vmsChanged.length) await this.statuses(rules, 'VM', o.vmsChanged);
  }

  private async threshold(rule: AlertRule, objectId: string, value: number | null, at: Date, subject: () => Promise<Subject | null>) {
    if (value === null) return;
    const k = key(rule.id, objectId);
    if (!crosses(rule.comparison!, value, rule.threshold!)) {
      this.holding.delete(k);
      await this.resolve(k, at);
      return;
    }
    const since = this.holding.get(k) ?? at.getTime();
    this.holding.set(k, since);
    if (this.open.has(k) || at.getTime() - since < rule.forSeconds * 1000) return;
    const s = await subject();
    if (!s) return;
    const held = rule.forSeconds ? ` for ${rule.forSeconds} s` : '';
    const condition = `${FIGURE_LABEL[rule.figure!]} ${round(value)} ${rule.comparison!.toLowerCase()} ${rule.threshold}${held}`;
    await this.fire(k, rule, s, value, condition, at);
  }

  private async storage(rules: AlertRule[], at: Date) {
    const domains = await this.db.storageDomain.findMany({
      select: { id: true, name: true, dataCenterId: true, capacityBytes: true, usedBytes: true },
    });
    for (const rule of rules) {
      if (rule.kind !== 'THRESHOLD' || rule.subject !== 'STORAGE_DOMAIN') continue;
      for (const d of domains) {
        await this.threshold(rule, d.id, storageFigure(rule.figure!, d), at, async () => ({
          id: d.id,
          name: d.name,
          objects: { storageDomainId: d.id, dataCenterId: d.dataCenterId },
        }));
      }
    }
  }

  private async statuses(rules: AlertRule[], subject: 'HOST' | 'VM', ids: string[]) {
    const watching = rules.filter((r) => r.kind === 'STATUS' && r.subject === subject);
    if (!watching.length) return;
    const rows =
      subject === 'HOST'
        ? (
            await this.db.host.findMany({
              where: { id: { in: ids } },
              select: { id: true, name: true, status: true, clusterId: true, cluster: { select: { dataCenterId: true } } },
            })
          ).map((h) => ({
            status: h.status as string,
            s: { id: h.id, name: h.name, objects: { hostId: h.id, clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId } },
          }))
        : (
            await this.db.vm.findMany({
              where: { id: { in: ids } },
              select: { id: true, name: true, status: true, hostId: true, clusterId: true, cluster: { select: { dataCenterId: true } } },
            })
          ).map((v) => ({
            status: v.status as string,
            s: {
              id: v.id,
              name: v.name,
              objects: { vmId: v.id, hostId: v.hostId, clusterId: v.clusterId, dataCenterId: v.cluster.dataCenterId },
            },
          }));
    for (const rule of watching) {
      for (const { status, s } of rows) {
        const k = key(rule.id, s.id);
        if (status !== rule.status) {
          clearTimeout(this.timers.get(k));
          this.timers.delete(k);
          await this.resolve(k, this.now());
        } else if (!this.open.has(k) && !this.timers.has(k)) {
          const condition = `status ${status}${rule.forSeconds ? ` for ${rule.forSeconds} s` : ''}`;
          if (!rule.forSeconds) {
            await this.fire(k, rule, s, null, condition, this.now());
            continue;
          }
          // The status has to last: fired later unless a change in between clears the timer.
          this.timers.set(
            k,
            setTimeout(() => {
              this.timers.delete(k);
              this.queue(() => this.fire(k, rule, s, null, condition, this.now()));
            }, rule.forSeconds * 1000).unref(),
          );
        }
      }
    }
  }

  private async onEvent(auditId: string) {
    const rules = (await this.loadRules()).filter((r) => r.kind === 'EVENT');
    if (!rules.length) return;
    const e = await this.db.auditLog.findUnique({ where: { id: auditId } });
    if (!e || ALERT_CODES.includes(e.code)) return;
    for (const rule of rules) {
      if (rule.eventCode !== e.code) continue;
      const objects = {
        dataCenterId: e.dataCenterId,
        clusterId: e.clusterId,
        hostId: e.hostId,
        vmId: e.vmId,
        storageDomainId: e.storageDomainId,
      };
      const news = await fireAlert(this.db, this.pubsub, {
        ruleId: rule.id,
        ruleName: rule.name,
        objectName: await this.objectName(objects),
        objects,
        value: null,
        condition: `event ${e.code}: ${e.message}`,
        firedAt: this.now(),
        sourceEventId: e.id,
      });
      if (news) this.mail.send(rule.emailTo, news);
    }
  }

  private async fire(k: string, rule: AlertRule, s: Subject, value: number | null, condition: string, at: Date) {
    if (this.open.has(k)) return;
    const news = await fireAlert(this.db, this.pubsub, {
      ruleId: rule.id,
      ruleName: rule.name,
      objectName: s.name,
      objects: s.objects,
      value,
      condition,
      firedAt: at,
    });
    if (!news) return;
    this.open.set(k, news.alertId);
    this.recipients.set(news.alertId, rule.emailTo);
    this.mail.send(rule.emailTo, news);
  }

  private async resolveOne(alertId: string, at: Date) {
    const news = await resolveAlert(this.db, this.pubsub, alertId, at);
    const to = this.recipients.get(alertId) ?? [];
    this.recipients.delete(alertId);
    if (news) this.mail.send(to, news);
  }

  private async resolve(k: string, at: Date) {
    const id = this.open.get(k);
    if (!id) return;
    this.open.delete(k);
    await this.resolveOne(id, at);
  }

  private async host(id: string): Promise<Subject | null> {
    const h = await this.db.host.findUnique({
      where: { id },
      select: { name: true, clusterId: true, cluster: { select: { dataCenterId: true } } },
    });
    return h && { id, name: h.name, objects: { hostId: id, clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId } };
  }

  private async vm(id: string): Promise<Subject | null> {
    const v = await this.db.vm.findUnique({
      where: { id },
      select: { name: true, hostId: true, clusterId: true, cluster: { select: { dataCenterId: true } } },
    });
    return v && { id, name: v.name, objects: { vmId: id, hostId: v.hostId, clusterId: v.clusterId, dataCenterId: v.cluster.dataCenterId } };
  }

  /** The most specific object an event is about, by name. */
  private async objectName(o: AuditObjects): Promise<string> {
    if (o.vmId) return (await this.db.vm.findUnique({ where: { id: o.vmId }, select: { name: true } }))?.name ?? o.vmId;
    if (o.hostId) return (await this.db.host.findUnique({ where: { id: o.hostId }, select: { name: true } }))?.name ?? o.hostId;
    if (o.storageDomainId)
      return (
        (await this.db.storageDomain.findUnique({ where: { id: o.storageDomainId }, select: { name: true } }))?.name ?? o.storageDomainId
      );
    if (o.clusterId) return (await this.db.cluster.findUnique({ where: { id: o.clusterId }, select: { name: true } }))?.name ?? o.clusterId;
    if (o.dataCenterId)
      return (await this.db.dataCenter.findUnique({ where: { id: o.dataCenterId }, select: { name: true } }))?.name ?? o.dataCenterId;
    return 'System';
  }
}

function round(n: number) {
  return Math.round(n * 10) / 10;
}
