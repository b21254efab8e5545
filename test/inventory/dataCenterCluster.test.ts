import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.close());

const REMOVE_CLUSTER = `mutation($id: ID!) { removeCluster(input: { id: $id }) {
  __typename ... on Error { code message } ... on ValidationError { reasons { code message } } } }`;

describe('data centers and clusters', () => {
  it('creates a data center and a cluster that gets the management network', async () => {
    const { dc, cluster } = await buildInventory(t, 'A');
    const res = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Cluster { name dataCenter { id name status }
      networks { network { name } required } } } }`,
      { id: cluster.id },
    );
    expect(res.data.node).toEqual({
      name: 'A-cluster',
      dataCenter: { id: dc.id, name: 'A-dc', status: 'UP' }, // its master data domain made it Up
      networks: expect.arrayContaining([
        { network: { name: 'ovirtmgmt' }, required: true },
        { network: { name: 'A-vmnet' }, required: false },
      ]),
    });
  });

  it('refuses a duplicate data center name, changes nothing, and says why in the event log', async () => {
    const before = await t.engine.db.dataCenter.count();
    const res = await t.gql(
      `mutation { addDataCenter(input: { name: "A-dc" }) { __typename ... on ValidationError { code reasons { code } } } }`,
    );
    expect(res.data.addDataCenter).toEqual({
      __typename: 'ValidationError',
      code: 'DATA_CENTER_NAME_ALREADY_USED',
      reasons: [{ code: 'DATA_CENTER_NAME_ALREADY_USED' }],
    });
    expect(await t.engine.db.dataCenter.count()).toBe(before);
    const ev = await t.gql(`{ events(first: 1) { edges { node { code severity message } } } }`);
    expect(ev.data.events.edges[0].node).toMatchObject({ code: 'USER_ACTION_REFUSED', severity: 'WARNING' });
    expect(ev.data.events.edges[0].node.message).toContain('A-dc is already used');
  });

  it('refuses balancing thresholds that cannot hold, in the dry run and the mutation, and changes nothing', async () => {
    const { dc, cluster } = await buildInventory(t, 'P');
    const input = { name: 'P-thresholds', dataCenter: dc.id, lowUtilizationPercent: 85 };
    const check = await t.gql(`query($i: AddClusterInput!) { canAddCluster(input: $i) { allowed reasons { code message } } }`, {
      i: input,
    });
    expect(check.data.canAddCluster).toEqual({
      allowed: false,
      reasons: [{ code: 'CLUSTER_THRESHOLDS_INVALID', message: 'The low utilization threshold (85 %) must be below the high one (80 %).' }],
    });
    const before = await t.engine.db.cluster.count();
    const res = await t.gql(
      `mutation($i: AddClusterInput!) { addCluster(input: $i) { __typename ... on ValidationError { code reasons { code } } } }`,
      { i: input },
    );
    expect(res.data.addCluster).toEqual({
      __typename: 'ValidationError',
      code: 'CLUSTER_THRESHOLDS_INVALID',
      reasons: [{ code: 'CLUSTER_THRESHOLDS_INVALID' }],
    });
    expect(await t.engine.db.cluster.count()).toBe(before);
    const upd = await t.gql(
      `mutation($i: UpdateClusterInput!) { updateCluster(input: $i) { __typename ... on ValidationError { code } } }`,
      { i: { id: cluster.id, highUtilizationPercent: 15 } },
    );
    expect(upd.data.updateCluster).toEqual({ __typename: 'ValidationError', code: 'CLUSTER_THRESHOLDS_INVALID' });
    const ok = await t.gql(
      `mutation($i: UpdateClusterInput!) { updateCluster(input: $i) { __typename ... on MutationUpdateClusterSuccess { cluster {
        schedulingPolicy highUtilizationPercent lowUtilizationPercent cpuOverloadMinutes maxVmCountDifference } } } }`,
      { i: { id: cluster.id, schedulingPolicy: 'CLUSTER_MAINTENANCE', highUtilizationPercent: 70, cpuOverloadMinutes: 5 } },
    );
    expect(ok.data.updateCluster).toEqual({
      __typename: 'MutationUpdateClusterSuccess',
      cluster: {
        schedulingPolicy: 'cluster_maintenance',
        highUtilizationPercent: 70,
        lowUtilizationPercent: 20,
        cpuOverloadMinutes: 5,
        maxVmCountDifference: 3,
      },
    });
  });

  it('refuses to remove a cluster that has hosts, and the dry run says so first', async () => {
    const { cluster } = await buildInventory(t, 'B');
    await mutate(t, 'addHost', { name: 'b-host1', address: '10.0.0.1', cluster: cluster.id }, 'host');
    const check = await t.gql(`query($id: ID!) { canRemoveCluster(input: { id: $id }) { allowed reasons { code } } }`, { id: cluster.id });
    expect(check.data.canRemoveCluster).toEqual({ allowed: false, reasons: [{ code: 'CLUSTER_HAS_HOSTS' }] });
    const res = await t.gql(REMOVE_CLUSTER, { id: cluster.id });
    expect(res.data.removeCluster.__typename).toBe('ValidationError');
    expect(res.data.removeCluster.code).toBe('CLUSTER_HAS_HOSTS');
    expect(res.data.removeCluster.message).toBe('Cannot remove Cluster: Cluster B-cluster still has 1 host(s); remove them first.');
    expect(await t.engine.db.cluster.count({ where: { id: { not: undefined }, name: 'B-cluster' } })).toBe(1);
  });

  it('removes an empty cluster and writes the event', async () => {
    const { dc } = await buildInventory(t, 'C');
    const extra = await mutate(
      t,
      'addCluster',
      { name: 'C-empty', dataCenter: dc.id, memoryOvercommitPercent: 200, schedulingPolicy: 'POWER_SAVING' },
      'cluster',
    );
    const check = await t.gql(`query($id: ID!) { canRemoveCluster(input: { id: $id }) { allowed reasons { code } } }`, { id: extra.id });
    expect(check.data.canRemoveCluster).toEqual({ allowed: true, reasons: [] });
    const res = await t.gql(
      `mutation($id: ID!) { removeCluster(input: { id: $id }) { __typename ... on MutationRemoveClusterSuccess { removed { id } } } }`,
      { id: extra.id },
    );
    expect(res.data.removeCluster).toEqual({ __typename: 'MutationRemoveClusterSuccess', removed: { id: extra.id } });
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: extra.id })).data.node).toBeNull();
    const ev = await t.gql(
      `{ events(first: 1, filter: { code: "USER_REMOVE_CLUSTER" }) { totalCount edges { node { message severity } } } }`,
    );
    expect(ev.data.events.edges[0].node).toEqual({ message: 'Cluster C-empty was removed by admin@internal.', severity: 'NORMAL' });
  });

  it('rejects bad input with a typed error naming the field, and changes nothing', async () => {
    const { dc } = await buildInventory(t, 'D');
    const before = await t.engine.db.cluster.count();
    const res = await t.gql(
      `mutation($dc: ID!) { addCluster(input: { name: "bad name!", dataCenter: $dc, memoryOvercommitPercent: 50 }) {
      __typename ... on InputError { code issues { path message } } } }`,
      { dc: dc.id },
    );
    expect(res.data.addCluster.__typename).toBe('InputError');
    expect(res.data.addCluster.code).toBe('BAD_INPUT');
    expect(res.data.addCluster.issues.map((i: { path: string }) => i.path).sort()).toEqual(['memoryOvercommitPercent', 'name']);
    expect(await t.engine.db.cluster.count()).toBe(before);
  });

  it('says which id is wrong: a foreign global id is bad input, a missing object is not found', async () => {
    const { dc, cluster } = await buildInventory(t, 'E');
    const wrongType = await t.gql(
      `mutation($id: ID!) { removeCluster(input: { id: $id }) { __typename ... on InputError { issues { path message } } } }`,
      { id: dc.id },
    );
    expect(wrongType.data.removeCluster).toEqual({
      __typename: 'InputError',
      issues: [{ path: 'id', message: `"${dc.id}" is not the id of a Cluster` }],
    });
    await t.gql(REMOVE_CLUSTER, { id: cluster.id }); // refused (has a network attachment only? no: it is empty) → removed
    const gone = await t.gql(
      `mutation($id: ID!) { removeCluster(input: { id: $id }) { __typename ... on NotFoundError { code objectType } } }`,
      { id: cluster.id },
    );
    expect(gone.data.removeCluster).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', objectType: 'Cluster' });
    const garbage = await t.gql(`{ clusters(filter: { dataCenter: "not-an-id" }) { totalCount } }`);
    expect(garbage.errors?.[0]).toMatchObject({
      message: 'Invalid input: filter.dataCenter: "not-an-id" is not the id of a DataCenter',
      extensions: { code: 'BAD_INPUT' },
    });
  });

  it('refuses to remove a data center that still has clusters or storage', async () => {
    const { dc } = await buildInventory(t, 'F');
    const res = await t.gql(
      `mutation($id: ID!) { removeDataCenter(input: { id: $id }) { __typename ... on ValidationError { reasons { code } } } }`,
      { id: dc.id },
    );
    expect(res.data.removeDataCenter.reasons).toEqual([{ code: 'DATA_CENTER_HAS_CLUSTERS' }, { code: 'DATA_CENTER_HAS_STORAGE_DOMAINS' }]);
  });
});
