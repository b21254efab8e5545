// Real processes and real files: an engine process, a simulated host agent process doing the image
// work on two POSIX storage domains (real folders, qemu-img), and a running VM whose disk moves
// live. The engine is killed (kill -9) while the host mirrors the disk (its block copy takes
// seconds, --copy-ms); the host pivots the VM to the target on its own. The engine started again on
// the same database asks the host where the VM runs from and completes the move: the Job finishes,
// the disk is on the target, the source folder is gone, the data is on the target, and the VM
// stopped and started again still runs on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/freePort.ts';
import { until } from '../support/until.ts';
import { GiB } from '../support/inventory.ts';
import { holdsMarker, writeMarker } from '../support/imageData.ts';
import { loginAdmin, post, startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';
import { volumeRef } from '../../server/storage/volumeRef.ts';
import { volumePath } from '../../agent/storage/domainLayout.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** How long the simulated host mirrors a disk before it pivots: room to kill and restart the engine meanwhile. */
const COPY_MS = 8000;
let dataDir = '';
let agent: ChildProcess | null = null;
let engine: EngineProcess | null = null;
afterAll(async () => {
  agent?.kill('SIGKILL');
  await engine?.kill('SIGKILL');
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

it('completes a live disk move the engine was killed in: the VM runs from the target, so the rows say so', async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-lsm-'));
  const storageRoot = path.join(dataDir, 'posix');
  const env = {
    VIREO_DATA_DIR: dataDir,
    DATABASE_URL: '',
    VIREO_DEMO: '0',
    PORT: String(await freePort()),
    VIREO_STORAGE_ROOTS: storageRoot,
  };
  engine = await startEngineProcess(env);
  const token = await loginAdmin(engine.url);
  const gql = async (q: string, v?: Record<string, unknown>) => {
    const res = await post(engine!.url, q, v, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const dc = (await gql('mutation { addDataCenter(input: { name: "L" }) { ... on MutationAddDataCenterSuccess { dataCenter { id } } } }'))
    .addDataCenter.dataCenter.id;
  const cl = (
    await gql(
      'mutation($dc: ID!) { addCluster(input: { name: "L", dataCenter: $dc }) { ... on MutationAddClusterSuccess { cluster { id } } } }',
      { dc },
    )
  ).addCluster.cluster.id;
  const host = (
    await gql(
      'mutation($cl: ID!) { addHost(input: { name: "l1", address: "l1.example.org", cluster: $cl }) { ... on MutationAddHostSuccess { host { id } } } }',
      { cl },
    )
  ).addHost.host.id;
  const agentToken = (
    await gql(
      `mutation($h: ID!) { issueHostAgentToken(input: { hostId: $h }) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
      { h: host },
    )
  ).issueHostAgentToken.agentToken.token;
  agent = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'agent/main.ts',
      '--engine',
      engine.url,
      '--name',
      'l1',
      '--token',
      agentToken,
      '--interval',
      '300',
      '--boot-ms',
      '300',
      '--copy-ms',
      String(COPY_MS),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, VIREO_DATA_DIR: path.join(dataDir, 'host'), VIREO_STORAGE_ROOTS: storageRoot },
    },
  );
  const HOST = `query($h: ID!) { node(id: $h) { ... on Host { status lastSeenAt } } }`;
  await until('the host to come Up', async () => ((await gql(HOST, { h: host })).node?.status === 'UP' ? true : null));

  const addDomain = async (name: string) => {
    const dir = path.join(storageRoot, name);
    await fs.mkdir(dir, { recursive: true });
    const res = (
      await gql(
        `mutation($dc: ID!, $name: String!, $path: String!) { addStorageDomain(input: { name: $name, dataCenter: $dc, path: $path, storageType: POSIXFS, domainType: DATA }) {
          __typename ... on Error { message } ... on MutationAddStorageDomainSuccess { storageDomain { id } } } }`,
        { dc, name, path: dir },
      )
    ).addStorageDomain;
    expect(res.__typename, JSON.stringify(res)).toBe('MutationAddStorageDomainSuccess');
    return { gid: res.storageDomain.id as string, id: uuidOf(res.storageDomain.id), path: dir };
  };
  const source = await addDomain('lsm-a');
  const target = await addDomain('lsm-b');
  const added = (
    await gql(
      `mutation($cl: ID!, $sd: ID!) { addVm(input: { name: "mirrored", cluster: $cl, memoryMb: 512, guaranteedMemoryMb: 512,
        disks: [{ alias: "mirrored-os", storageDomain: $sd, provisionedSizeBytes: ${GiB}, format: COW, bootable: true }] }) {
        __typename ... on Error { message } ... on MutationAddVmSuccess { vm { id diskAttachments { disk { id } } } } } }`,
      { cl, sd: source.gid },
    )
  ).addVm;
  expect(added.__typename, JSON.stringify(added)).toBe('MutationAddVmSuccess');
  const vm: string = added.vm.id;
  const disk: string = added.vm.diskAttachments[0].disk.id;
  const diskId = uuidOf(disk);
  const imageOn = (domain: { id: string; path: string }) => volumePath(volumeRef(domain, diskId));
  writeMarker(imageOn(source), 0x5a, 0);

  const VM = `query($v: ID!) { node(id: $v) { ... on Vm { status } } }`;
  const power = async (verb: 'runVm' | 'stopVm', status: string) => {
    const Type = `${verb[0]!.toUpperCase()}${verb.slice(1)}`;
    const res = (await gql(`mutation($v: ID!) { ${verb}(input: { id: $v }) { __typename ... on Error { message } } }`, { v: vm }))[verb];
    expect(res.__typename, JSON.stringify(res)).toBe(`Mutation${Type}Success`);
    await until(`the VM to be ${status}`, async () => ((await gql(VM, { v: vm })).node.status === status ? true : null));
  };
  await power('runVm', 'UP');

  // The move runs until the host has mirrored; the engine dies while it does (the Job at 50 %).
  void post(
    engine.url,
    'mutation($i: MoveDiskInput!) { moveDisk(input: $i) { __typename } }',
    { i: { id: disk, storageDomain: target.gid } },
    token,
  ).catch(() => null);
  const JOBS = `{ jobs(first: 20) { edges { node { id actionType status steps { progress description } } } } }`;
  const moveJob = async () =>
    (await gql(JOBS)).jobs.edges
      .map(
        (e: { node: { id: string; actionType: string; status: string; steps: { progress: number | null; description: string }[] } }) =>
          e.node,
      )
      .find((j: { actionType: string }) => j.actionType === 'MoveDisk');
  const mirroring = await until('the move to reach 50 %', async () =>
    (await moveJob())?.steps[0]?.progress === 50 ? await moveJob() : null,
  );
  await engine.kill('SIGKILL');
  engine = await startEngineProcess(env);

  const JOB = `query($j: ID!) { node(id: $j) { ... on Job { status steps { description } } } }`;
  const ended = await until(
    'the interrupted move to end',
    async () => {
      const job = (await gql(JOB, { j: mirroring.id })).node;
      return job.status !== 'STARTED' ? job : null;
    },
    120_000,
  );
  // The host finished the copy on its own while no engine listened, and the VM runs from the target.
  expect(ended.status).toBe('FINISHED');
  const DISK = `query($d: ID!) { node(id: $d) { ... on Disk { status storageDomain { name } } } }`;
  expect((await gql(DISK, { d: disk })).node).toEqual({ status: 'OK', storageDomain: { name: 'lsm-b' } });
  await until('the source image to be removed', async () => (!existsSync(path.dirname(imageOn(source))) ? true : null));
  expect(holdsMarker(imageOn(target), 0x5a, 0)).toBe(true);
  const events = (await gql('{ events(filter: { code: "JOB_INTERRUPTED_BY_RESTART" }) { edges { node { message } } } }')).events.edges.map(
    (e: { node: { message: string } }) => e.node.message,
  );
  expect(events).toContainEqual(expect.stringContaining('runs Disk mirrored-os from Storage Domain lsm-b, so the move was completed'));
  // Started again from the rows, the VM runs from the target, where its data is.
  expect((await gql(VM, { v: vm })).node.status).toBe('UP');
  await power('stopVm', 'DOWN');
  await power('runVm', 'UP');
  expect((await gql(DISK, { d: disk })).node.storageDomain).toEqual({ name: 'lsm-b' });
  expect(existsSync(path.dirname(imageOn(source)))).toBe(false);
  expect(holdsMarker(imageOn(target), 0x5a, 0)).toBe(true);
}, 300_000);

/** The database id inside a global id. */
function uuidOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString().split(':')[1]!;
}
