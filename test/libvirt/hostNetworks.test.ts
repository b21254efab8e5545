// Host networks on a real libvirt host: the agent on the libvirt driver builds setupNetworks'
// layout as Linux bridges with iproute2 on the NICs it was given (--nics: veth pairs made here, so
// the machine's own NIC is never touched), refuses cleanly what the kernel cannot build, keeps what
// it built across a kill -9, and plugs a VM's NIC into its network's bridge.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { setupNetworks } from '../support/hostNetworks.ts';
import {
  buildGuest,
  requireLibvirt,
  root,
  spawnLibvirtAgent,
  startLibvirtd,
  vethNics,
  type Guest,
  type Libvirtd,
} from '../support/libvirt.ts';

const libvirt = requireLibvirt();
const run = promisify(execFile);

interface IpLink {
  ifname: string;
  master?: string;
  mtu: number;
  linkinfo?: { info_kind?: string };
}

/** The host's links as `ip -j -d link` shows them, by name. */
async function ipLinks(): Promise<Map<string, IpLink>> {
  const list = JSON.parse((await run('ip', ['-j', '-d', 'link', 'show'])).stdout) as IpLink[];
  return new Map(list.map((l) => [l.ifname, l]));
}

/** Whether this kernel can make a device of that type (bond and vlan need modules some machines lack). */
async function kernelMakes(type: 'bond' | 'vlan'): Promise<{ ok: boolean; message: string }> {
  const args =
    type === 'bond'
      ? ['link', 'add', 'virprobe0', 'type', 'bond']
      : ['link', 'add', 'link', 'lo', 'name', 'virprobe0', 'type', 'vlan', 'id', '2'];
  try {
    await run('ip', args);
    await run('ip', ['link', 'del', 'virprobe0']);
    return { ok: true, message: '' };
  } catch (e) {
    return { ok: false, message: String((e as { stderr?: string }).stderr ?? '').trim() };
  }
}

describe.skipIf(!libvirt.run)(`host networks on a libvirt host${libvirt.run ? '' : ` (skipped: ${libvirt.reason})`}`, () => {
  const NICS = ['vir0a', 'vir0b', 'vir0c'];
  const VM_NET = 'N-vms';
  const VLAN_NET = 'N-vmnet'; // VLAN 10, from buildInventory
  let t: TestEngine;
  let server: { url: string; stop(): Promise<void> };
  let lv: Libvirtd;
  let agent: ChildProcess | null = null;
  let removeNics: (() => Promise<void>) | null = null;
  let hostGid: string;
  let token: string;
  let net: { mgmt: string; vms: string; vlan: string };
  let clusterId: string;
  let guest: Guest;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vireo-agent-net-'));

  function startAgent(): ChildProcess {
    return spawnLibvirtAgent({ engineUrl: server.url, name: 'net-host1', token, uri: lv.uri, stateDir, nics: NICS });
  }

  async function query<T = any>(q: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await t.gql(q, variables);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as T;
  }

  const hostNow = async () =>
    (
      await query(
        `query($id: ID!) { node(id: $id) { ... on Host { status statusReason
    nics { name bondMode } networkAttachments { network { name } nic { name } vlanId } } } }`,
        { id: hostGid },
      )
    ).node;
  /** The host's attachments as "network@nic", sorted. */
  const attachments = async () =>
    ((await hostNow()).networkAttachments as { network: { name: string }; nic: { name: string } }[])
      .map((a) => `${a.network.name}@${a.nic.name}`)
      .sort();
  const eventMessages = async (code: string) =>
    (
      await query(`query($f: EventFilter) { events(first: 20, filter: $f) { edges { node { message } } } }`, { f: { code, host: hostGid } })
    ).events.edges.map((e: { node: { message: string } }) => e.node.message) as string[];
  /** Where each of the test's links is enslaved, and which of its bridges exist: what a change may not leave behind. */
  const linkState = async () => {
    const links = await ipLinks();
    return [...NICS, 'ovirtmgmt', VM_NET, VLAN_NET, 'bond0', 'vir0b.10'].map(
      (n) => `${n}:${links.has(n) ? `${links.get(n)!.linkinfo?.info_kind ?? 'nic'}>${links.get(n)!.master ?? '-'}` : 'absent'}`,
    );
  };

  beforeAll(async () => {
    guest = buildGuest();
    lv = await startLibvirtd(path.join(root, '.cache/libvirt-test/lv3'), 3);
    removeNics = await vethNics(
      NICS.map((n) => [n, `${n}p`] as const),
      ['ovirtmgmt', VM_NET, VLAN_NET, 'bond0'],
    );
    t = await startTestEngine();
    server = await t.listen();
    const inv = await buildInventory(t, 'N');
    clusterId = inv.cluster.id;
    const vms = await mutate(
      t,
      'addNetwork',
      { name: VM_NET, dataCenter: inv.dc.id, clusters: [{ cluster: inv.cluster.id, required: false }] },
      'network',
    );
    net = { mgmt: inv.mgmt.id, vms: vms.id, vlan: inv.vmNet.id };
    hostGid = (await mutate(t, 'addHost', { name: 'net-host1', address: '127.0.0.1', cluster: inv.cluster.id }, 'host')).id;
    token = (
      await query(
        `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
        { input: { hostId: hostGid } },
      )
    ).issueHostAgentToken.agentToken.token;
  }, 300_000);

  afterAll(async () => {
    agent?.kill('SIGKILL');
    await lv?.stop();
    await removeNics?.();
    await server?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('a new host goes Up with the management network on a bridge over its first NIC, and only its own NICs', async () => {
    agent = startAgent();
    await vi.waitFor(async () => expect((await hostNow()).status).toBe('UP'), { timeout: 60_000, interval: 200 });
    expect((await hostNow()).nics.map((n: { name: string }) => n.name)).toEqual(NICS);
    expect(await attachments()).toEqual(['ovirtmgmt@vir0a']);
    const links = await ipLinks();
    expect(links.get('ovirtmgmt')?.linkinfo?.info_kind).toBe('bridge');
    expect(links.get('vir0a')?.master).toBe('ovirtmgmt');
    expect(links.get('eth0')?.master).toBeUndefined();
  }, 120_000);

  it('setupNetworks of a VM network onto the second NIC makes its bridge with the NIC in it', async () => {
    const r = await setupNetworks(t, hostGid, {
      attachments: [
        { network: net.mgmt, nic: 'vir0a' },
        { network: net.vms, nic: 'vir0b' },
      ],
    });
    expect(r.__typename).toBe('MutationSetupNetworksSuccess');
    const links = await ipLinks();
    expect(links.get(VM_NET)?.linkinfo?.info_kind).toBe('bridge');
    expect(links.get('vir0b')?.master).toBe(VM_NET);
    expect(await attachments()).toEqual([`${VM_NET}@vir0b`, 'ovirtmgmt@vir0a']);
    expect((await hostNow()).status).toBe('UP');
  }, 60_000);

  it('a bond: built where the kernel has bonding, else refused with its message and nothing changed', async () => {
    const kernel = await kernelMakes('bond');
    const before = await linkState();
    const r = await setupNetworks(t, hostGid, {
      bonds: [{ name: 'bond0', mode: 'ACTIVE_BACKUP', nics: ['vir0b', 'vir0c'] }],
      attachments: [
        { network: net.mgmt, nic: 'vir0a' },
        { network: net.vms, nic: 'bond0' },
      ],
    });
    if (kernel.ok) {
      expect(r.__typename).toBe('MutationSetupNetworksSuccess');
      expect(await attachments()).toEqual([`${VM_NET}@bond0`, 'ovirtmgmt@vir0a']);
      // Back to the layout the following tests start from.
      expect(
        (
          await setupNetworks(t, hostGid, {
            attachments: [
              { network: net.mgmt, nic: 'vir0a' },
              { network: net.vms, nic: 'vir0b' },
            ],
          })
        ).__typename,
      ).toBe('MutationSetupNetworksSuccess');
      return;
    }
    expect(kernel.message).toBe('Error: Unknown device type.');
    expect(r.__typename).not.toBe('MutationSetupNetworksSuccess');
    expect(r.message).toContain('Error: Unknown device type. (ip link add bond0 type bond mode active-backup)');
    expect(await linkState()).toEqual(before); // vir0b back in its bridge, no bond0
    expect(await attachments()).toEqual([`${VM_NET}@vir0b`, 'ovirtmgmt@vir0a']);
    expect((await eventMessages('USER_ACTION_FAILED')).join(' ')).toContain('Unknown device type');
  }, 60_000);

  it('a VLAN network: built where the kernel has 802.1Q, else refused with its message and no bridge left behind', async () => {
    const kernel = await kernelMakes('vlan');
    const before = await linkState();
    const r = await setupNetworks(t, hostGid, {
      attachments: [
        { network: net.mgmt, nic: 'vir0a' },
        { network: net.vms, nic: 'vir0b' },
        { network: net.vlan, nic: 'vir0b' },
      ],
    });
    if (kernel.ok) {
      expect(r.__typename).toBe('MutationSetupNetworksSuccess');
      expect((await ipLinks()).get('vir0b.10')?.master).toBe(VLAN_NET);
      expect(
        (
          await setupNetworks(t, hostGid, {
            attachments: [
              { network: net.mgmt, nic: 'vir0a' },
              { network: net.vms, nic: 'vir0b' },
            ],
          })
        ).__typename,
      ).toBe('MutationSetupNetworksSuccess');
      return;
    }
    expect(r.__typename).not.toBe('MutationSetupNetworksSuccess');
    expect(r.message).toContain('Error: Unknown device type. (ip link add link vir0b name vir0b.10 type vlan id 10)');
    expect(await linkState()).toEqual(before);
    expect((await ipLinks()).has(VLAN_NET)).toBe(false);
    expect(await attachments()).toEqual([`${VM_NET}@vir0b`, 'ovirtmgmt@vir0a']);
  }, 60_000);

  it('a VM with a NIC on the VM network is plugged into its bridge', async () => {
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'net-tiny',
        cluster: clusterId,
        memoryMb: 128,
        guaranteedMemoryMb: 128,
        cpuCores: 1,
        osType: 'other_linux',
        nics: [{ name: 'nic1', network: net.vms }],
      },
      'vm',
    );
    const r = (
      await query(`mutation($input: RunVmInput!) { runVm(input: $input) { __typename ... on Error { message } } }`, {
        input: {
          id: vm.id,
          host: hostGid,
          runOnce: { kernelPath: guest.kernel, initrdPath: guest.initrd, kernelParams: 'console=ttyS0 quiet' },
        },
      })
    ).runVm;
    expect(r.__typename).toBe('MutationRunVmSuccess');
    try {
      const ports = async () =>
        [...(await ipLinks()).values()]
          .filter((l) => l.master === VM_NET)
          .map((l) => l.ifname)
          .sort();
      await vi.waitFor(async () => expect(await ports()).toEqual(['vir0b', expect.stringMatching(/^vnet\d+$/)]), {
        timeout: 60_000,
        interval: 200,
      });
      const { stdout } = await run('virsh', ['-c', lv.uri, 'domiflist', 'net-tiny']);
      expect(stdout).toMatch(new RegExp(`vnet\\d+\\s+bridge\\s+${VM_NET}\\s+virtio`));
    } finally {
      await query(`mutation($input: StopVmInput!) { stopVm(input: $input) { __typename } }`, { input: { id: vm.id } });
      await vi.waitFor(
        async () =>
          expect((await query(`query($id: ID!) { node(id: $id) { ... on Vm { status } } }`, { id: vm.id })).node.status).toBe('DOWN'),
        { timeout: 60_000, interval: 200 },
      );
    }
  }, 180_000);

  it('kill -9 of the agent: the restarted agent reports the same layout, from what it kept and what the host has', async () => {
    agent!.kill('SIGKILL');
    await new Promise((r) => agent!.once('exit', r));
    agent = startAgent();
    await vi.waitFor(async () => expect((await hostNow()).status).toBe('UP'), { timeout: 60_000, interval: 200 });
    expect(await attachments()).toEqual([`${VM_NET}@vir0b`, 'ovirtmgmt@vir0a']);
    expect(await eventMessages('VDS_NETWORKS_RESENT')).toEqual([]); // it needed nothing sent back

    // A bridge that vanished while the agent was away is not reported.
    agent.kill('SIGKILL');
    await new Promise((r) => agent!.once('exit', r));
    await run('ip', ['link', 'del', VM_NET]);
    agent = startAgent();
    await vi.waitFor(async () => expect(await attachments()).toEqual(['ovirtmgmt@vir0a']), { timeout: 60_000, interval: 200 });
    expect((await hostNow()).status).toBe('UP'); // the VM network is not required of the cluster's hosts
  }, 180_000);
});
