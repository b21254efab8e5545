// Power saving's events, written as the engine (SYSTEM); a failed write is logged, never thrown.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { recordEvents } from '../actions/actionEvents.ts';
import type { AuditOf } from '../actions/defineAction.ts';

export async function sayPowerSaving(engine: Engine, event: AuditOf): Promise<void> {
  await recordEvents(engine, SYSTEM_ACTOR, [event]).catch((err) => console.error('power saving: could not write an event:', err));
}
