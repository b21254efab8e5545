// One libvirt host for a test: its own libvirtd instance, a veth NIC named for the run, the host
// added through the API with an agent token, and an agent process on the libvirt driver, Up.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { vi } from 'vitest';
import { mutate } from './inventory.ts';
import { root, spawnLibvirtAgent, startLibvirtd, vethNics, type Libvirtd } from './libvirt.ts';
import type { TestEngine } from './testEngine.ts';

export interface LibvirtHost {
  lv: Libvirtd;
  hostGid: string;
  stop(): Promise<void>;
}

/** `instance`: the libvirtd's name under .cache/libvirt-test (one no other test file uses) and its number. */
export async function startLibvirtHost(
  t: TestEngine,
  engineUrl: string,
  o: { instance: string; n: number; name: string; clusterGid: string; stateDir: string },
): Promise<LibvirtHost> {
  const lv = await startLibvirtd(path.join(root, '.cache/libvirt-test', o.instance), o.n);
  const nic = `vir${(process.pid % 46_656).toString(36)}${o.n}a`;
  const removeNics = await vethNics([[nic, nic.replace(/a$/, 'b')]]);
  const host = await mutate(t, 'addHost', { name: o.name, address: '127.0.0.1', cluster: o.clusterGid }, 'host');
  const issued = await t.gql(
    `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
    { input: { hostId: host.id } },
  );
  const agent: ChildProcess = spawnLibvirtAgent({
    engineUrl,
    name: o.name,
    token: issued.data.issueHostAgentToken.agentToken.token,
    uri: lv.uri,
    stateDir: path.join(o.stateDir, o.name),
    nics: [nic],
  });
  const stop = async () => {
    agent.kill('SIGKILL');
    await lv.stop();
    await removeNics();
  };
  try {
    await vi.waitFor(
      async () => {
        const r = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { status statusReason } } }`, { id: host.id });
        if (r.data.node.status !== 'UP') throw new Error(`host ${o.name} is ${JSON.stringify(r.data.node)}`);
      },
      { timeout: 60_000, interval: 200 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { lv, hostGid: host.id, stop };
}
