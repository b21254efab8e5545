// Every action and every dry run (can…), read from the schema so that a new one is covered
// without a hand-written case, called by a user with UserRole on her own VM only and aimed at the
// administrator's objects: each is refused (FORBIDDEN, or NOT_FOUND where she may not even see the
// object) and the administrator's objects are as they were. Prints the probes tried and refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNamedType, isEnumType, isListType, isNonNullType, isScalarType, type GraphQLObjectType } from 'graphql';
import { schema } from '../../schema/index.ts';
import type { TestEngine } from '../support/testEngine.ts';
import { startStrangerInventory } from '../support/strangerInventory.ts';
import { rootOperation } from '../support/schemaWalk.ts';

let t: TestEngine;
let userToken: string;
let inventory: Awaited<ReturnType<typeof startStrangerInventory>>;
let hidden: Record<string, string>;

beforeAll(async () => {
  inventory = await startStrangerInventory();
  ({ t, userToken, hidden } = inventory);
});
afterAll(() => inventory?.close());

/** Fields that are not a user's actions on objects: the log-in page's, her own session's, the host agents'. */
const NOT_PROBED = /^(login|logout|agent[A-Z].*)$/;
/** Her own API tokens, webhooks (which see only what she may see) and saved searches are hers to make. */
const OWN = new Set(['createApiToken', 'canCreateApiToken', 'addWebhook', 'canAddWebhook', 'saveSearch', 'canSaveSearch']);
/** Refused as hers to neither do nor see; a webhook and a saved search are their owner's alone. */
const REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND', 'WEBHOOK_NOT_YOURS', 'SAVED_SEARCH_NOT_YOURS']);
/** Actions whose input needs one of its optional parts, or whose `id` names another kind than the action. */
const INPUT: Record<string, (hidden: Record<string, string>) => Record<string, unknown>> = {
  addPermission: (h) => ({ user: h.User }),
  addUser: () => ({ password: 'probepass1' }),
  changeVmCd: () => ({ eject: true }),
  importVm: () => ({ ovf: '<Envelope/>' }),
  importTemplate: () => ({ ovf: '<Envelope/>' }),
  setupNetworks: (h) => ({ id: h.Host, bonds: [] }),
};

/** The administrator's object an ID argument names: by the argument's name, else by the action's. */
function idFor(action: string) {
  const types = Object.keys(hidden).sort((a, b) => b.length - a.length);
  return (name: string) => {
    const base = name.replace(/Ids?$/, '').replace(/s$/, '').toLowerCase();
    const byName = types.find((type) => base.endsWith(type.toLowerCase()));
    if (byName) return hidden[byName]!;
    if (base === 'object') return hidden.Vm!;
    const byAction = types.find((type) => action.toLowerCase().includes(type.toLowerCase()));
    return hidden[byAction ?? 'Vm']!;
  };
}

/** Whether the answer refuses the call as she may not do or see it. */
function refused(field: string, res: any): boolean {
  if ((res.errors ?? []).some((e: any) => REFUSALS.has(e.extensions?.code))) return true;
  const answer = res.data?.[field];
  if (!answer) return false;
  if ('allowed' in answer) return !answer.allowed && answer.reasons.some((r: { code: string }) => REFUSALS.has(r.code));
  return REFUSALS.has(answer.code);
}

/** Every scalar field (without arguments) of each of the administrator's objects, as he sees them. */
async function adminView() {
  const view: Record<string, unknown> = {};
  for (const [type, id] of Object.entries(hidden)) {
    const fields = Object.values((schema.getType(type) as GraphQLObjectType).getFields())
      .filter((f) => f.args.length === 0)
      .filter((f) => {
        const named = getNamedType(f.type);
        const inner = isNonNullType(f.type) ? f.type.ofType : f.type;
        return (isScalarType(named) || isEnumType(named)) && !isListType(inner);
      })
      .map((f) => f.name);
    const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on ${type} { ${fields.join(' ')} } } }`, { id });
    view[type] = res.data.node;
  }
  return view;
}

/** What changes without anyone's action: the storage host's reports and the times they come. */
const volatile = (view: Record<string, any>) => {
  const { Host, ...rest } = view;
  return { ...rest, Host: { name: Host.name, status: Host.status } };
};

it("refuses every action and dry run on the administrator's objects, and changes none of them", async () => {
  const before = volatile(await adminView());
  expect(Object.values(before).every((object) => object != null)).toBe(true);
  const answers: Record<string, string> = {};
  const roots: ['query' | 'mutation', GraphQLObjectType][] = [
    ['mutation', schema.getMutationType()!],
    ['query', schema.getQueryType()!],
  ];
  for (const [kind, root] of roots) {
    for (const field of Object.values(root.getFields())) {
      if (NOT_PROBED.test(field.name) || OWN.has(field.name)) continue;
      if (kind === 'query' && !/^can[A-Z]/.test(field.name)) continue;
      const { query, variables } = rootOperation(kind, field, idFor(field.name));
      const extra = INPUT[field.name.replace(/^can([A-Z])/, (_m, c: string) => c.toLowerCase())];
      if (extra) variables.input = { ...(variables.input as object), ...extra(hidden) };
      const res = await t.gqlAs(userToken, query, variables);
      answers[field.name] = refused(field.name, res) ? 'refused' : JSON.stringify(res).slice(0, 300);
    }
  }
  const tried = Object.keys(answers).length;
  const ok = Object.values(answers).filter((a) => a === 'refused').length;
  console.log(`cross-user probes: ${tried} actions and dry runs tried, ${ok} refused (FORBIDDEN, NOT_FOUND or not hers)`);
  expect(tried).toBeGreaterThan(150);
  expect(Object.entries(answers).filter(([, a]) => a !== 'refused')).toEqual([]);
  expect(volatile(await adminView())).toEqual(before);
});
