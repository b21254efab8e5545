// The runner itself: locks, compensation order, publication only after commit, and a dry run that
// changes nothing. The database is real (the test engine's); the host broker is a fake that
// records each command and answers when the test says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestEngine, type TestEngine } from '../../test/support/testEngine.ts';
import type { AgentCommand, CommandResult } from '../../protocol/messages.ts';
import type { Engine } from '../engine.ts';
import { HostBroker } from '../agents/hostBroker.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { ActionFailedError, LockedError, type Reason } from '../errors.ts';
import { addDataCenter } from './dataCenter/addDataCenter.ts';
import { addCluster } from './cluster/addCluster.ts';
import { addHost } from './host/addHost.ts';
import { defineAction, type FollowOutcome } from './defineAction.ts';
import { lockKey } from './locks.ts';
import { canRunAction, runAction, startAction } from './runAction.ts';

/** A host broker whose agents are the test: it records commands; each answer waits until the test releases it (or at once). */
class FakeBroker extends HostBroker {
  readonly sent: { hostId: string; command: AgentCommand }[] = [];
  answer: CommandResult['ok'] = true;
  private gate: Promise<void> | null = null;
  private open: () => void = () => {};
  hold() {
    this.gate = new Promise((r) => {
      this.open = r;
    });
  }
  release() {
    this.open();
    this.gate = null;
  }
  override reachable() {
    return true;
  }
  override async send(hostId: string, command: AgentCommand): Promise<CommandResult> {
    this.sent.push({ hostId, command });
    if (this.gate !== null) await this.gate;
    return { id: '00000000-0000-4000-8000-000000000000', ok: this.answer, error: this.answer ? undefined : 'refused by the fake' };
  }
}

let t: TestEngine;
let engine: Engine;
let broker: FakeBroker;
let host: { id: string; name: string };

beforeAll(async () => {
  t = await startTestEngine();
  broker = new FakeBroker(t.engine.pubsub);
  engine = { ...t.engine, hosts: broker };
  const dc = await runAction(engine, SYSTEM_ACTOR, addDataCenter, { name: 'runner-dc' });
  const cluster = await runAction(engine, SYSTEM_ACTOR, addCluster, { name: 'runner-cl', dataCenterId: dc.id });
  const h = await runAction(engine, SYSTEM_ACTOR, addHost, { name: 'runner-h1', address: 'runner-h1.example.org', clusterId: cluster.id });
  host = { id: h.id, name: h.name };
});
afterAll(async () => {
  await t?.close();
});

interface Script {
  /** Undo steps' names, in the order they ran. */
  undone?: string[];
  failIn?: 'onHost' | 'execute';
  /** What execute() saw of the notifications it had queued: how many were delivered by then. */
  deliveredDuringTx?: number[];
  follow?: Promise<FollowOutcome>;
  hold?: boolean;
}
const scripts = new Map<string, Script>();

/** A job-mode host action: marks the host, asks it something, records a new description. */
const touchHost = defineAction({
  type: 'TouchHost',
  title: 'touch Host',
  actionGroup: 'MANIPULATE_HOST',
  params: z.object({ hostId: z.string(), description: z.string(), script: z.string() }),
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const h = await tx.host.findUniqueOrThrow({ where: { id: p.hostId } });
    return [h.status === 'MAINTENANCE' ? { code: 'HOST_STATUS_ILLEGAL', message: `Host ${h.name} is in maintenance.` } : null];
  },
  job: async (_tx, p) => ({ description: `Touching host ${p.hostId}`, hostId: p.hostId }),
  async prepare(ctx, p) {
    const h = await ctx.tx.host.findUniqueOrThrow({ where: { id: p.hostId } });
    await ctx.snapshot('Host', h.id, { status: h.status, statusReason: h.statusReason });
    await ctx.tx.host.update({ where: { id: h.id }, data: { status: 'PREPARING_FOR_MAINTENANCE', statusReason: 'touched' } });
    ctx.compensate(async () => {
      scripts.get(p.script)!.undone?.push('prepare');
    });
    return { name: h.name };
  },
  async onHost(ctx, p, marked) {
    const s = scripts.get(p.script)!;
    await ctx.hosts.destroy({ id: p.hostId, name: marked.name }, '00000000-0000-4000-8000-000000000001');
    ctx.compensate(async () => {
      s.undone?.push('first host step');
    });
    ctx.compensate(async () => {
      s.undone?.push('second host step');
    });
    if (s.failIn === 'onHost') throw new Error('the host step broke');
    return { asked: true };
  },
  async execute(ctx, p, marked, fromHost) {
    const s = scripts.get(p.script)!;
    const row = await ctx.tx.host.update({ where: { id: p.hostId }, data: { address: p.description, status: 'UP', statusReason: '' } });
    ctx.publish('host:changed', { id: row.id, kind: 'updated' });
    await new Promise((r) => setTimeout(r, 20));
    s.deliveredDuringTx?.push(delivered.length);
    if (s.failIn === 'execute') throw new Error('the last step broke');
    return { ...marked, ...fromHost, id: row.id };
  },
  audit: (r) => ({ code: 'USER_ACTIVATE_VDS', vars: { hostName: r.name }, objects: { hostId: r.id } }),
  follow: async (_ctx, p) => scripts.get(p.script)?.follow ?? { ok: true },
});

/** What host:changed subscribers received: the address the database held when each arrived. */
const delivered: (string | null)[] = [];
let listening = false;
async function listen() {
  if (listening) return;
  listening = true;
  const it = t.engine.pubsub.subscribe('host:changed')[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      if (next.value.id !== host.id) continue;
      const row = await t.engine.db.host.findUnique({ where: { id: host.id }, select: { address: true } });
      delivered.push(row?.address ?? null);
    }
  })();
}

const hostRow = () =>
  t.engine.db.host.findUniqueOrThrow({ where: { id: host.id }, select: { status: true, statusReason: true, address: true } });
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('runAction', () => {
  it('publishes only after the commit: subscribers read what the action wrote', async () => {
    await listen();
    const s: Script = { deliveredDuringTx: [] };
    scripts.set('publish', s);
    const before = delivered.length;
    const r = await runAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'after commit', script: 'publish' });
    expect(r).toMatchObject({ asked: true, name: host.name });
    await settle();
    // Inside the transaction nothing of it had been delivered; after the commit its change was visible to subscribers.
    expect(s.deliveredDuringTx).toEqual([before]);
    expect(delivered.slice(before)).toEqual(['after commit']);
  });

  it('publishes nothing of a failed action', async () => {
    scripts.set('nothing', { failIn: 'execute', undone: [] });
    const before = delivered.length;
    await expect(runAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'never', script: 'nothing' })).rejects.toThrow(
      /the last step broke/,
    );
    await settle();
    // execute()'s notification is dropped with its transaction; the restore's own is sent.
    expect(delivered.slice(before)).not.toContain('never');
    expect((await hostRow()).address).toBe('after commit');
  });

  it('undoes in reverse order: host steps newest first, then prepare, and the snapshot puts the host back', async () => {
    const s: Script = { failIn: 'execute', undone: [] };
    scripts.set('undo', s);
    const err = await runAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'undone', script: 'undo' }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ActionFailedError);
    expect(s.undone).toEqual(['second host step', 'first host step', 'prepare']);
    expect(await hostRow()).toMatchObject({ status: 'UP', statusReason: '', address: 'after commit' });
    const job = await t.engine.db.job.findFirstOrThrow({
      where: { actionType: 'TouchHost' },
      orderBy: { startedAt: 'desc' },
      include: { steps: true },
    });
    expect(job.status).toBe('FAILED');
    expect(job.steps[0]!.description).toMatch(/the last step broke/);
    expect(await t.engine.db.compensationSnapshot.count({ where: { jobId: job.id } })).toBe(0);
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { correlationId: job.correlationId } });
    expect(event).toMatchObject({ code: 'USER_ACTION_FAILED', hostId: host.id });
  });

  it('a host that refuses fails the action with its words, and only the steps registered so far are undone', async () => {
    const s: Script = { undone: [] };
    scripts.set('refused', s);
    broker.answer = false;
    try {
      const err = await runAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'refused', script: 'refused' }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(ActionFailedError);
      expect(err.message).toBe(`Failed to touch Host: host ${host.name}: refused by the fake`);
      expect(s.undone).toEqual(['prepare']);
      expect((await hostRow()).status).toBe('UP');
    } finally {
      broker.answer = true;
    }
  });

  it('holds its locks while the host works: a second action and its dry run get LOCKED, and the lock is free after', async () => {
    scripts.set('lock', {});
    broker.hold();
    const first = runAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'first', script: 'lock' });
    await expect.poll(async () => broker.sent.length > 0 && (await engine.locks.isHeld(lockKey('Host', host.id)))).toBe(true);
    await expect(
      runAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'second', script: 'lock' }),
    ).rejects.toBeInstanceOf(LockedError);
    expect(await canRunAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'second', script: 'lock' })).toEqual([
      {
        code: 'LOCKED',
        message: `Cannot touch Host: Host ${host.name} is locked while "touch Host" is in progress; try again when it ends.`,
      },
    ]);
    broker.release();
    await first;
    expect(await engine.locks.isHeld(lockKey('Host', host.id))).toBe(false);
    expect((await hostRow()).address).toBe('first');
  });

  it('keeps the locks until the followed outcome only when the action asks to', async () => {
    let end: (o: FollowOutcome) => void = () => {};
    scripts.set('follow', {
      follow: new Promise((r) => {
        end = r;
      }),
    });
    const held = { ...touchHost, holdLocksWhileFollowing: true };
    const started = await startAction(engine, SYSTEM_ACTOR, held, { hostId: host.id, description: 'followed', script: 'follow' });
    expect(await engine.locks.isHeld(lockKey('Host', host.id))).toBe(true);
    expect((await t.engine.db.job.findUniqueOrThrow({ where: { id: started.jobId! } })).status).toBe('STARTED');
    end({ ok: false, step: 'it did not happen' });
    expect(await started.outcome).toBe(false);
    expect(await engine.locks.isHeld(lockKey('Host', host.id))).toBe(false);
    // A failed outcome restores the snapshot prepare() took (the host was UP, with no reason).
    expect(await t.engine.db.job.findUniqueOrThrow({ where: { id: started.jobId! }, include: { steps: true } })).toMatchObject({
      status: 'FAILED',
      steps: [{ description: 'it did not happen' }],
    });

    scripts.set('follow2', { follow: new Promise(() => {}) });
    const free = await startAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'not held', script: 'follow2' });
    expect(free.jobId).not.toBeNull();
    expect(await engine.locks.isHeld(lockKey('Host', host.id))).toBe(false);
  });
});

describe('canRunAction', () => {
  /** A dry run whose check tries to write: the write must not survive. */
  const sneaky = defineAction({
    ...touchHost,
    type: 'SneakyHost',
    async validate({ tx }, p): Promise<(Reason | null)[]> {
      await tx.host.update({ where: { id: p.hostId }, data: { address: 'written by a check' } });
      return [{ code: 'NO', message: 'refused on purpose' }];
    },
  });

  it('runs every check and changes nothing: no row, no Job, no event, no command, no lock', async () => {
    const rowBefore = await hostRow();
    const jobs = await t.engine.db.job.count();
    const events = await t.engine.db.auditLog.count();
    const sent = broker.sent.length;
    expect(await canRunAction(engine, SYSTEM_ACTOR, sneaky, { hostId: host.id, description: 'dry', script: 'dry' })).toEqual([
      { code: 'NO', message: 'refused on purpose' },
    ]);
    scripts.set('dry', {});
    expect(await canRunAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id, description: 'dry', script: 'dry' })).toEqual([]);
    expect(await hostRow()).toEqual(rowBefore);
    expect(await t.engine.db.job.count()).toBe(jobs);
    expect(await t.engine.db.auditLog.count()).toBe(events);
    expect(broker.sent.length).toBe(sent);
    expect(await engine.locks.isHeld(lockKey('Host', host.id))).toBe(false);
  });

  it('reports bad input as a reason and the real run refuses it with an event', async () => {
    expect(await canRunAction(engine, SYSTEM_ACTOR, touchHost, { hostId: host.id })).toEqual([
      { code: 'BAD_INPUT', message: expect.any(String) },
    ]);
    const err = await runAction(engine, SYSTEM_ACTOR, sneaky, { hostId: host.id, description: 'x', script: 'dry' }).catch((e) => e);
    expect(err.code).toBe('NO');
    expect((await hostRow()).address).not.toBe('written by a check');
    expect(
      await t.engine.db.auditLog.findFirst({ where: { code: 'USER_ACTION_REFUSED', hostId: host.id }, orderBy: { createdAt: 'desc' } }),
    ).toMatchObject({ message: expect.stringMatching(/refused on purpose/) });
  });
});
