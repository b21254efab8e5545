// Builds inventory through the public API, as a user would.
import type { TestEngine } from './testEngine.ts';

const GiB = 1024 ** 3;

/** Runs a mutation and returns its success payload, failing the test on any error member. */
export async function mutate(t: TestEngine, name: string, input: Record<string, unknown>, field: string): Promise<any> {
  const res = await t.gql(
    `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) {
    ${name}(input: $input) { __typename ... on Error { code message } ... on Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success { ${field} { id } } } }`,
    { input },
  );
  const payload = res.data?.[name];
  if (!payload || payload.__typename.endsWith('Error')) throw new Error(`${name} failed: ${JSON.stringify(res)}`);
  return payload[field];
}

/** A data center with its management network, one cluster, one data domain, one VM network (not required of the cluster's hosts). */
export async function buildInventory(t: TestEngine, prefix = 'T') {
  const dc = await mutate(t, 'addDataCenter', { name: `${prefix}-dc` }, 'dataCenter');
  const mgmt = await mutate(t, 'addNetwork', { name: 'ovirtmgmt', dataCenter: dc.id }, 'network');
  const cluster = await mutate(t, 'addCluster', { name: `${prefix}-cluster`, dataCenter: dc.id }, 'cluster');
  const storage = await mutate(
    t,
    'addStorageDomain',
    { name: `${prefix}-data`, dataCenter: dc.id, path: 'nfs:/data', capacityBytes: 100 * GiB },
    'storageDomain',
  );
  const vmNet = await mutate(
    t,
    'addNetwork',
    { name: `${prefix}-vmnet`, dataCenter: dc.id, vlanId: 10, clusters: [{ cluster: cluster.id, required: false }] },
    'network',
  );
  return { dc, mgmt, cluster, storage, vmNet };
}

export { GiB };

/** A new user holding a built-in role on one object (a global id), logged in: returns its session token. */
export async function userWithRole(t: TestEngine, userName: string, role: string, object: string): Promise<string> {
  const roles: { id: string; name: string }[] = (await t.gql(`{ roles { id name } }`)).data.roles;
  const user = await mutate(t, 'addUser', { userName, password: `${userName}-pass-1` }, 'user');
  await mutate(t, 'addPermission', { role: roles.find((r) => r.name === role)!.id, user: user.id, object }, 'permission');
  return t.login(userName, `${userName}-pass-1`);
}
