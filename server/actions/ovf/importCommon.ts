// What importVm and importTemplate share: the plan computed once per run, the parts of their
// definitions that differ only by kind (locks, checks), and the preview (the plan with every
// warning, for a UI, without changing anything).
import type { Engine } from '../../engine.ts';
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/permissions.ts';
import type { ActionContext, ActionDefinition } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { VireoError, type Reason } from '../../errors.ts';
import { planImport, readSource, type ImportPlan } from './importPlan.ts';
import { importVmParams, type ImportKind, type ImportVmParams } from './importParams.ts';

/** The plan of one run of an import of `kind`, computed once (validate and execute share it). */
function planCache(kind: ImportKind): (tx: Tx, p: ImportVmParams) => Promise<ImportPlan> {
  const plans = new WeakMap<ImportVmParams, ImportPlan>();
  return async (tx, p) => {
    let plan = plans.get(p);
    if (!plan) {
      plan = await planImport(tx, p, kind);
      plans.set(p, plan);
    }
    return plan;
  };
}

/**
 * What importVm and importTemplate define alike (subject, params, locks, objects, validate), and the
 * plan cache their execute() reads.
 */
export function importActionParts(kind: ImportKind) {
  const planOnce = planCache(kind);
  return {
    planOnce,
    parts: {
      subject: (p: ImportVmParams) => ({ type: 'CLUSTER' as const, id: p.clusterId }),
      params: importVmParams,
      locks: (p: ImportVmParams) => importLocks(p, kind),
      objects: (p: ImportVmParams) => ({ clusterId: p.clusterId }),
      validate: async ({ tx }: ActionContext, p: ImportVmParams) => {
        const plan = await planOnce(tx, p);
        // A VM's disks get volumes, which a host makes; a template's are metadata only.
        return [...plan.reasons, kind === 'vm' && plan.disks.length ? await storageHostAvailable(tx, plan.dataCenterId) : null];
      },
    },
  };
}

/** The cluster, the new name, the source (so two imports of it do not race) and every target domain. */
function importLocks(p: ImportVmParams, kind: ImportKind): string[] {
  const source = readSource(p);
  const keys = [lockKey('Cluster', p.clusterId)];
  if (!(source instanceof VireoError)) {
    keys.push(lockKey(kind === 'vm' ? 'VmName' : 'TemplateName', p.name ?? source.name));
    keys.push(lockKey(kind === 'vm' ? 'VmImport' : 'TemplateImport', source.sourceIdentity));
  }
  const domains = new Set([...(p.storageDomainId ? [p.storageDomainId] : []), ...p.disks.map((d) => d.storageDomainId)]);
  return [...keys, ...[...domains].map((d) => lockKey('StorageDomain', d))];
}

/** The preview of an import: what it would create and every warning, plus why it would be refused. Changes nothing. */
export async function previewImport(
  engine: Engine,
  actor: Actor,
  action: ActionDefinition<ImportVmParams, unknown>,
  kind: ImportKind,
  raw: unknown,
): Promise<{ plan: ImportPlan | null; reasons: Reason[] }> {
  const parsed = importVmParams.safeParse(raw);
  if (!parsed.success)
    return {
      plan: null,
      reasons: [
        { code: 'BAD_INPUT', message: `Invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` },
      ],
    };
  const p = parsed.data;
  if (!(await can(engine.db, actor, action.actionGroup, await action.subject(p, engine.db)))) {
    return { plan: null, reasons: [{ code: 'FORBIDDEN', message: `Cannot ${action.title}: permission denied.` }] };
  }
  try {
    const plan = await engine.db.$transaction((tx) => planImport(tx, p, kind));
    return { plan: plan.producer === null ? null : plan, reasons: plan.reasons };
  } catch (e) {
    if (e instanceof VireoError) return { plan: null, reasons: [{ code: e.code, message: e.message }] };
    throw e;
  }
}
