// Introspection is a setting: logged-in users by default, never anonymous callers unless
// VIREO_INTROSPECTION=all; `off` refuses it to everyone.
import { afterAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';

const engines: TestEngine[] = [];
afterAll(async () => {
  for (const t of engines) await t.close();
  delete process.env.VIREO_INTROSPECTION;
});
async function engine(setting?: string) {
  if (setting) process.env.VIREO_INTROSPECTION = setting;
  else delete process.env.VIREO_INTROSPECTION;
  const t = await startTestEngine();
  engines.push(t);
  return t;
}

const SCHEMA = '{ __schema { queryType { name } } }';
const TYPE = '{ __type(name: "Vm") { name } }';

it('by default answers logged-in users and refuses anonymous callers', async () => {
  const t = await engine();
  for (const query of [SCHEMA, TYPE]) {
    const anonymous = await t.gqlAs(null, query);
    expect(anonymous.data ?? null).toBeNull();
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect((await t.gql(query)).errors).toBeUndefined();
  }
  expect((await t.gql(SCHEMA)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  // What the log-in page needs still answers anonymously.
  expect((await t.gqlAs(null, '{ loginProfiles }')).data).toEqual({ loginProfiles: ['internal'] });
});

it('VIREO_INTROSPECTION=off refuses it to the administrator too', async () => {
  const t = await engine('off');
  const res = await t.gql(TYPE);
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  expect((await t.gql('{ me { userName } }')).data).toEqual({ me: { userName: 'admin' } });
});
