// Webhook deliveries: each result is stored first (so a killed engine sends it after its restart),
// then POSTed in order per webhook, signed with an HMAC-SHA256 of the body, retried with back-off
// (p-retry); one given up on is FAILED, with the receiver's last answer, and the next goes on.
import { createHmac } from 'node:crypto';
import pRetry from 'p-retry';
import type { Db } from '../db.ts';

export interface DeliveryOptions {
  /** Attempts after the first (default 5) and the first wait (default 1 s, doubling). */
  retries?: number;
  minRetryMs?: number;
  /** Time for the receiver to answer one POST (default 10 s). */
  timeoutMs?: number;
}

/** The signature header's value: `sha256=<hex HMAC-SHA256 of the body under the webhook's secret>`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

class ReceiverError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

interface Target {
  id: string;
  url: string;
  secret: string;
}

export class WebhookDeliveries {
  /** Per webhook, the tail of its sends (one at a time, in order) and its next sequence number. */
  private readonly lanes = new Map<string, { tail: Promise<void>; next: Promise<number> }>();

  constructor(
    private readonly db: Db,
    private readonly opts: DeliveryOptions = {},
  ) {}

  /** Stores a result and queues its POST after the webhook's earlier ones. */
  enqueue(target: Target, body: string): Promise<void> {
    const lane = this.lane(target.id);
    const seq = lane.next.then((n) => n);
    lane.next = seq.then((n) => n + 1);
    const stored = seq.then((n) =>
      this.db.webhookDelivery.create({ data: { webhookId: target.id, seq: n, body }, select: { id: true, seq: true } }),
    );
    lane.tail = lane.tail
      .then(async () => this.send(target, await stored, body))
      .catch((e: unknown) => {
        console.error(`webhook ${target.id}:`, e);
      });
    return lane.tail;
  }

  /** Sends what a previous run left PENDING, in order, before anything new. */
  async resume(target: Target) {
    const pending = await this.db.webhookDelivery.findMany({ where: { webhookId: target.id, status: 'PENDING' }, orderBy: { seq: 'asc' } });
    const lane = this.lane(target.id);
    for (const d of pending)
      lane.tail = lane.tail
        .then(() => this.send(target, d, d.body))
        .catch((e: unknown) => {
          console.error(`webhook ${target.id}:`, e);
        });
    return lane.tail;
  }

  /** Settles when every queued send has ended. */
  async idle() {
    for (;;) {
      const tails = [...this.lanes.values()].map((l) => l.tail);
      await Promise.all(tails);
      if ([...this.lanes.values()].every((l, i) => l.tail === tails[i])) return;
    }
  }

  private lane(webhookId: string) {
    let lane = this.lanes.get(webhookId);
    if (!lane) {
      const last = this.db.webhookDelivery.aggregate({ where: { webhookId }, _max: { seq: true } }).then((r) => (r._max.seq ?? 0) + 1);
      lane = { tail: Promise.resolve(), next: last };
      this.lanes.set(webhookId, lane);
    }
    return lane;
  }

  private async send(target: Target, d: { id: string; seq: number }, body: string) {
    const post = async () => {
      let res: Response;
      try {
        res = await fetch(target.url, {
          method: 'POST',
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Vireo-Webhook',
            'x-vireo-signature': signature(target.secret, body),
            'x-vireo-webhook': target.id,
            'x-vireo-delivery': d.id,
            'x-vireo-sequence': String(d.seq),
          },
        });
      } catch (e) {
        throw new ReceiverError(null, (e as Error).message);
      }
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) throw new ReceiverError(res.status, `the receiver answered ${res.status}`);
      return res.status;
    };
    const failed = async (e: unknown) => {
      const status = e instanceof ReceiverError ? e.status : null;
      await this.db.webhookDelivery.update({
        where: { id: d.id },
        data: { attempts: { increment: 1 }, lastStatus: status, lastError: (e as Error).message.slice(0, 500) },
      });
    };
    try {
      const status = await pRetry(post, {
        retries: this.opts.retries ?? 5,
        minTimeout: this.opts.minRetryMs ?? 1000,
        factor: 2,
        onFailedAttempt: async ({ error }) => {
          await failed(error);
        },
      });
      await this.db.webhookDelivery.update({
        where: { id: d.id },
        data: { status: 'DELIVERED', attempts: { increment: 1 }, lastStatus: status, lastError: '', deliveredAt: new Date() },
      });
    } catch {
      await this.db.webhookDelivery.update({ where: { id: d.id }, data: { status: 'FAILED' } });
    }
  }
}
