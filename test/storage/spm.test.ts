// One storage manager (SPM) per data center: elected among its Up hosts, recorded as Host.spm, the
// only host that gets image work that changes volume chains, re-elected when it is lost, and image
// work refused while no host can be it. Two simulated hosts whose agents use the real file
// storage (recording which host created volumes), all through the API.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { FileStorage } from '../../agent/storage/fileStorage.ts';

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let server: { url: string; stop(): Promise<void> };
let hosts: SimHost[];
/** Which host's agent created each volume, in order. */
const created: string[] = [];

class RecordingStorage extends FileStorage {
  constructor(private readonly hostName: string) {
    super();
  }
  override async createVolume(c: Parameters<FileStorage['createVolume']>[0]) {
    created.push(this.hostName);
    return super.createVolume(c);
  }
}

beforeAll(async () => {
  // Hosts silent for 1.5 s are NonResponsive (agents report every 100 ms).
  t = await startTestEngine({ engine: { monitoring: { timeoutMs: 1500 } } });
  t.engine.monitoring.watchdog.start(200);
  t.engine.spm.start(200);
  inv = await buildInventory(t, 'P');
  server = await t.listen();
  hosts = [];
  for (const name of ['spm-a', 'spm-b'])
    hosts.push(await addSimulatedHost(t, server.url, inv.cluster.id, name, {}, 100, new RecordingStorage(name)));
  await hostsUp(t, hosts);
});
afterAll(async () => {
  t.engine.spm.stop();
  t.engine.monitoring.watchdog.stop();
  for (const h of hosts ?? []) await h.agent.stop();
  await server?.stop();
  await t?.close();
});

const HOSTS = `query($dc: ID!) { hosts(first: 10, filter: { dataCenter: $dc }) { edges { node { name status spm } } } }`;
const spmHosts = async (): Promise<string[]> =>
  (await t.gql(HOSTS, { dc: inv.dc.id })).data.hosts.edges.filter((e: any) => e.node.spm).map((e: any) => e.node.name);
const eventsOf = async (code: string): Promise<string[]> =>
  (
    await t.gql(`query($c: String) { events(first: 50, filter: { code: $c }) { edges { node { message } } } }`, { c: code })
  ).data.events.edges.map((e: any) => e.node.message);
const diskCount = async () => (await t.gql(`{ disks(first: 1) { totalCount } }`)).data.disks.totalCount;
const ADD_DISK = `mutation($i: AddDiskInput!) { addDisk(input: $i) { __typename ... on Error { code message } } }`;
const addDisk = async (alias: string) =>
  (await t.gql(ADD_DISK, { i: { alias, storageDomain: inv.storage.id, provisionedSizeBytes: GiB } })).data.addDisk;
const act = async (name: string, id: string) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  return (await t.gql(`mutation($i: ${type}!) { ${name}(input: $i) { __typename ... on Error { code message } } }`, { i: { id } })).data[
    name
  ];
};
const spmIs = (name: string) => vi.waitFor(async () => expect(await spmHosts()).toEqual([name]), { timeout: 15_000, interval: 100 });

describe('the storage manager (SPM) of a data center', () => {
  let first: string;
  let other: SimHost;

  it('elects one Up host and records it', async () => {
    await vi.waitFor(async () => expect(await spmHosts()).toHaveLength(1), { timeout: 15_000, interval: 100 });
    first = (await spmHosts())[0]!;
    other = hosts.find((h) => h.name !== first)!;
    expect((await eventsOf('SPM_ELECTED')).join('\n')).toContain(`Host ${first} was elected the storage manager (SPM) of Data Center P-dc`);
  });

  it('sends it the image work: only the SPM creates volumes', async () => {
    for (const alias of ['spm-disk1', 'spm-disk2']) expect((await addDisk(alias)).__typename).toBe('MutationAddDiskSuccess');
    expect(created).toEqual([first, first]);
  });

  it('re-elects another host when the SPM goes to maintenance, with events, and the work follows', async () => {
    const firstHost = hosts.find((h) => h.name === first)!;
    expect((await act('maintenanceHost', firstHost.gid)).__typename).toBe('MutationMaintenanceHostSuccess');
    await spmIs(other.name);
    expect((await eventsOf('SPM_LOST')).join('\n')).toContain(`Host ${first} is no longer the storage manager`);
    expect((await eventsOf('SPM_ELECTED')).join('\n')).toContain(`Host ${other.name} was elected`);
    expect((await addDisk('spm-disk3')).__typename).toBe('MutationAddDiskSuccess');
    expect(created.at(-1)).toBe(other.name);
    // The first host comes back: the SPM stays where it is.
    expect((await act('activateHost', firstHost.gid)).__typename).toBe('MutationActivateHostSuccess');
    await hostsUp(t, [firstHost]);
    await new Promise((r) => setTimeout(r, 600));
    expect(await spmHosts()).toEqual([other.name]);
  });

  it('re-elects when the SPM host stops answering (NonResponsive)', async () => {
    await other.agent.stop();
    await spmIs(first);
    expect((await eventsOf('SPM_LOST')).join('\n')).toMatch(
      new RegExp(`Host ${other.name} is no longer the storage manager .*: (it is NON_RESPONSIVE|its agent is not connected)`),
    );
    expect((await addDisk('spm-disk4')).__typename).toBe('MutationAddDiskSuccess');
    expect(created.at(-1)).toBe(first);
  });

  it('refuses image work while no host can be the SPM, changing nothing', async () => {
    await hosts.find((h) => h.name === first)!.agent.stop();
    await vi.waitFor(async () => expect(await spmHosts()).toEqual([]), { timeout: 15_000, interval: 100 });
    expect((await eventsOf('SPM_NONE')).join('\n')).toContain('Data Center P-dc has no storage manager (SPM)');
    const before = await diskCount();
    const refused = await addDisk('spm-disk5');
    expect(refused).toMatchObject({ __typename: 'ValidationError', code: 'NO_HOST_FOR_STORAGE' });
    expect(await diskCount()).toBe(before);
  });
});
