// The engine as a user runs it: first start seeds the demo on the embedded database; data
// survives a clean stop and a kill -9.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginAdmin, post as postAnon, startEngineProcess } from '../support/engineProcess.ts';

let token = '';
const post = (url: string, q: string, v?: Record<string, unknown>) => postAnon(url, q, v, token);

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-restart-'));
});
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

const env = () => ({ VIREO_DATA_DIR: dataDir, DATABASE_URL: '' });
const COUNTS = `{ dataCenters { totalCount } clusters { totalCount } hosts { totalCount } storageDomains { totalCount } networks { totalCount } vms { totalCount } }`;

it('seeds the demo on first start and keeps every change across a stop and a kill -9', async () => {
  const first = await startEngineProcess(env());
  expect(first.output()).toContain('demo inventory seeded');
  token = await loginAdmin(first.url);
  const counts = (await post(first.url, COUNTS)).data;
  expect(counts).toEqual({
    dataCenters: { totalCount: 1 },
    clusters: { totalCount: 2 },
    hosts: { totalCount: 5 },
    storageDomains: { totalCount: 3 },
    networks: { totalCount: 3 },
    vms: { totalCount: 20 },
  });
  const cluster = (await post(first.url, `{ clusters(filter: { nameContains: "Production" }) { edges { node { id } } } }`)).data.clusters
    .edges[0].node.id;
  const added = await post(first.url, `mutation($c: ID!) { addVm(input: { name: "after-restart", cluster: $c }) { __typename } }`, {
    c: cluster,
  });
  expect(added.data.addVm.__typename).toBe('MutationAddVmSuccess');
  expect(await first.kill('SIGTERM')).toBe(0);

  const second = await startEngineProcess(env());
  expect(second.output()).not.toContain('demo inventory seeded');
  token = await loginAdmin(second.url);
  expect((await post(second.url, `{ vms { totalCount } }`)).data.vms.totalCount).toBe(21);
  const again = await post(second.url, `mutation($c: ID!) { addVm(input: { name: "before-kill", cluster: $c }) { __typename } }`, {
    c: cluster,
  });
  expect(again.data.addVm.__typename).toBe('MutationAddVmSuccess');
  await second.kill('SIGKILL');

  const third = await startEngineProcess(env());
  token = await loginAdmin(third.url);
  const names = (await post(third.url, `{ vms(filter: { nameContains: "-" }) { edges { node { name } } } }`)).data.vms.edges.map(
    (e: any) => e.node.name,
  );
  expect(names).toEqual(expect.arrayContaining(['after-restart', 'before-kill']));
  await third.kill('SIGTERM');
}, 240_000);
