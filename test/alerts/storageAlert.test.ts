// An alert rule on a storage domain's free space, over the API: a POSIX domain on a small file
// system of its own (a 16 MiB tmpfs, so nothing else on the machine moves its figures), measured
// by a simulated host's agent (statvfs with every report). Filling it past the threshold fires the
// alert, freeing it resolves it; the `alerts` subscription (graphql-ws on a real port) streams both
// to whom may see the domain, and nothing to a user who may not. Needs root (mount), as CI has.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate, userWithRole } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { wsSubscribe } from '../support/subscriptions.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let host: SimHost | undefined;
let root: string;
let small: string;
let mounted = false;
const subs: ReturnType<typeof wsSubscribe>[] = [];
const savedRoots = process.env.VIREO_STORAGE_ROOTS;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vireo-storage-alert-'));
  small = path.join(root, 'small');
  mkdirSync(small);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${16 * MiB}`, 'vireo-test', small]);
  mounted = true;
  process.env.VIREO_STORAGE_ROOTS = root;
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  for (const s of subs) await s.client.dispose();
  await host?.agent.stop();
  await server?.stop();
  await t?.engine.monitoring.stop();
  await t?.engine.alerts.stop();
  await t?.close();
  if (savedRoots === undefined) delete process.env.VIREO_STORAGE_ROOTS;
  else process.env.VIREO_STORAGE_ROOTS = savedRoots;
  if (mounted) execFileSync('umount', [small]);
  rmSync(root, { recursive: true, force: true });
});

const FIELDS = 'ruleName firing objectName message value storageDomainId';
const ADD_DOMAIN = `mutation($i: AddStorageDomainInput!) { addStorageDomain(input: $i) { __typename
  ... on Error { code message } ... on MutationAddStorageDomainSuccess { storageDomain { id } } } }`;
const ADD_RULE = `mutation($i: AddAlertRuleInput!) { addAlertRule(input: $i) { __typename
  ... on MutationAddAlertRuleSuccess { alertRule { id } } ... on Error { code message } } }`;

describe('an alert rule on storage free space', () => {
  it('fires when a domain fills below the threshold and resolves when it is freed, only to whom sees the domain', async () => {
    const inv = await buildInventory(t, 'SA');
    const other = await buildInventory(t, 'SB');
    host = await addSimulatedHost(t, server.url, inv.cluster.id, 'sa-host');
    await hostsUp(t, [host]);
    const added = (await t.gql(ADD_DOMAIN, { i: { name: 'small-data', dataCenter: inv.dc.id, path: small, storageType: 'POSIXFS' } })).data
      .addStorageDomain;
    expect(added.__typename).toBe('MutationAddStorageDomainSuccess');
    const dcAdmin = await userWithRole(t, 'sa-dcadmin', 'DataCenterAdmin', inv.dc.id);
    const elsewhere = await userWithRole(t, 'sa-elsewhere', 'DataCenterAdmin', other.dc.id);
    const vmUser = await userWithRole(
      t,
      'sa-vmuser',
      'UserRole',
      (await mutate(t, 'addVm', { name: 'sa-vm', cluster: inv.cluster.id }, 'vm')).id,
    );

    const rule = await t.gql(ADD_RULE, {
      i: { name: 'sd-free', kind: 'THRESHOLD', subject: 'STORAGE_DOMAIN', figure: 'FREE_PERCENT', comparison: 'BELOW', threshold: 50 },
    });
    expect(rule.data.addAlertRule.__typename).toBe('MutationAddAlertRuleSuccess');
    const [admin, seer, blind, user] = [t.adminToken, dcAdmin, elsewhere, vmUser].map((token) => {
      const s = wsSubscribe(server.url, token, `subscription { alerts { ${FIELDS} } }`, {});
      subs.push(s);
      return s;
    });
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    // Nearly empty: nothing fires.
    expect(await admin!.next(1000)).toBeNull();

    // 12 MiB of 16 written: 25 % free (less the file system's own blocks).
    writeFileSync(path.join(small, 'ballast'), Buffer.alloc(12 * MiB, 1));
    const fired = await admin!.next(30_000);
    expect(fired?.data.alerts).toMatchObject({
      ruleName: 'sd-free',
      firing: true,
      objectName: 'small-data',
      storageDomainId: expect.any(String),
    });
    expect(fired.data.alerts.value).toBeGreaterThan(15);
    expect(fired.data.alerts.value).toBeLessThan(26);
    expect(fired.data.alerts.message).toMatch(/^Alert sd-free fired for small-data: free space % [\d.]+ below 50\.$/);
    expect((await seer!.next()).data.alerts).toMatchObject({ ruleName: 'sd-free', firing: true });
    const listed = await t.gqlAs(dcAdmin, '{ alerts(firing: true) { edges { node { ruleName objectName } } } }');
    expect(listed.data.alerts.edges.map((e: any) => e.node)).toEqual([{ ruleName: 'sd-free', objectName: 'small-data' }]);

    rmSync(path.join(small, 'ballast'));
    expect((await admin!.next(30_000))?.data.alerts).toMatchObject({ ruleName: 'sd-free', firing: false, objectName: 'small-data' });
    expect((await seer!.next()).data.alerts).toMatchObject({ ruleName: 'sd-free', firing: false });
    expect((await t.gql('{ alerts(firing: true) { totalCount } }')).data.alerts.totalCount).toBe(0);
    const events = (
      await t.gql('{ events(filter: { messageContains: "Alert sd-free " }) { edges { node { code message } } } }')
    ).data.events.edges.map((e: any) => e.node.code);
    expect(events).toEqual(['ALERT_RESOLVED', 'ALERT_FIRED']);

    // Neither another data center's administrator nor a VM's user sees the domain, nor its alerts.
    expect(blind!.received).toEqual([]);
    expect(user!.received).toEqual([]);
    for (const token of [elsewhere, vmUser]) expect((await t.gqlAs(token, '{ alerts { totalCount } }')).data.alerts.totalCount).toBe(0);
  });
});
