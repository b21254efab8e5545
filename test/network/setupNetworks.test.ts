// Host networks through setupNetworks, as an administrator sets them: a simulated host agent over
// graphql-ws builds the layout and reports it back; what the engine shows is what the host reported.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { setupNetworks, layOut } from '../support/hostNetworks.ts';
import { FAST, startLab, type Lab } from '../vm/lifecycleSupport.ts';
import { SimulatedHypervisor } from '../../agent/drivers/simulated.ts';
import { startAgent } from '../../agent/session.ts';
import { addSimulatedHost } from '../support/simulatedHosts.ts';

let t: TestEngine;
let lab: Lab;
let storageNet: string;
let otherNet: string;
let backupNet: string;

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'net', 1);
  const dc = (await t.engine.db.cluster.findUniqueOrThrow({ where: { id: lab.clusterId } })).dataCenterId;
  const dcGid = Buffer.from(`DataCenter:${dc}`).toString('base64');
  storageNet = (
    await mutate(
      t,
      'addNetwork',
      {
        name: 'net-storage',
        dataCenter: dcGid,
        vlanId: 200,
        mtu: 9000,
        vmNetwork: false,
        clusters: [{ cluster: lab.clusterGid, required: false }],
      },
      'network',
    )
  ).id;
  backupNet = (
    await mutate(
      t,
      'addNetwork',
      { name: 'net-backup', dataCenter: dcGid, clusters: [{ cluster: lab.clusterGid, required: false }] },
      'network',
    )
  ).id;
  otherNet = (await mutate(t, 'addNetwork', { name: 'net-nowhere', dataCenter: dcGid, vlanId: 300 }, 'network')).id;
});
afterAll(async () => {
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

const hostView = async () =>
  (
    await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Host { status statusReason nonOperationalReason
  nics { name bondMode bondName mtu speedMbps networkAttachments { network { name } vlanId mtu } } } } }`,
      { id: lab.hosts[0]!.gid },
    )
  ).data.node;
const mgmt = () => ({ network: lab.mgmtGid, nic: 'eno1' });

describe('setupNetworks', () => {
  it('a new host comes Up with the management network on the NIC its agent talks over', async () => {
    const host = await hostView();
    expect(host.status).toBe('UP');
    expect(host.nics.map((n: { name: string }) => n.name)).toEqual(['eno1', 'eno2', 'eno3', 'eno4']);
    expect(host.nics[0].networkAttachments).toEqual([{ network: { name: 'ovirtmgmt' }, vlanId: null, mtu: 1500 }]);
  });

  it('attaches a VLAN network beside the untagged one and a jumbo-frame network on an 802.3ad bond; the host reports them', async () => {
    const layout = {
      bonds: [{ name: 'bond0', mode: 'LACP' as const, nics: ['eno2', 'eno3'] }],
      attachments: [mgmt(), { network: lab.vmNetGid, nic: 'eno1' }, { network: storageNet, nic: 'bond0' }],
    };
    expect(await setupNetworks(t, lab.hosts[0]!.gid, layout, true)).toEqual({ allowed: true, reasons: [] });
    await layOut(t, lab.hosts[0]!.gid, layout);
    const byName = Object.fromEntries((await hostView()).nics.map((n: { name: string }) => [n.name, n]));
    expect(byName.bond0).toMatchObject({
      bondMode: 'LACP',
      mtu: 9000,
      speedMbps: 50000,
      networkAttachments: [{ network: { name: 'net-storage' }, vlanId: 200, mtu: 9000 }],
    });
    expect([byName.eno2.bondName, byName.eno3.bondName, byName.eno4.bondName]).toEqual(['bond0', 'bond0', null]);
    expect(byName.eno1.networkAttachments.map((a: { network: { name: string } }) => a.network.name)).toEqual(['net-vmnet', 'ovirtmgmt']);
    const event = await t.engine.db.auditLog.findFirstOrThrow({
      where: { code: 'NETWORK_SETUP_NETWORKS' },
      orderBy: { createdAt: 'desc' },
    });
    expect(event.message).toBe(
      'The networks of host net-h1 were set up by admin@internal: bond0 (802.3ad: eno2+eno3), ovirtmgmt on eno1, net-vmnet on eno1 VLAN 10, net-storage on bond0 VLAN 200.',
    );
  });

  it('refuses, with typed reasons and nothing changed, what a host cannot take', async () => {
    const before = await hostView();
    const reasons = async (layout: Parameters<typeof setupNetworks>[2]) => {
      const check = await setupNetworks(t, lab.hosts[0]!.gid, layout, true);
      const run = await setupNetworks(t, lab.hosts[0]!.gid, layout);
      expect(run.reasons).toEqual(check.reasons);
      return check.reasons.map((r: { code: string }) => r.code);
    };
    expect(await reasons({ attachments: [mgmt(), { network: otherNet, nic: 'eno2' }] })).toEqual(['NETWORKS_DONT_EXIST_IN_CLUSTER']);
    expect(await reasons({ attachments: [mgmt(), { network: backupNet, nic: 'eno1' }] })).toEqual([
      'NETWORK_INTERFACES_NOT_EXCLUSIVELY_USED_BY_UNTAGGED_NETWORK',
    ]);
    expect(await reasons({ bonds: [{ name: 'bond0', mode: 'ACTIVE_BACKUP', nics: ['eno2'] }], attachments: [mgmt()] })).toEqual([
      'NETWORK_BONDS_INVALID_SLAVE_COUNT',
    ]);
    expect(
      await reasons({
        bonds: [
          { name: 'bond0', mode: 'ACTIVE_BACKUP', nics: ['eno2', 'eno3'] },
          { name: 'bond1', mode: 'LACP', nics: ['eno3', 'eno4'] },
        ],
        attachments: [mgmt()],
      }),
    ).toEqual(['NETWORK_INTERFACE_REFERENCED_AS_A_SLAVE_MULTIPLE_TIMES']);
    expect(await reasons({ attachments: [{ network: lab.vmNetGid, nic: 'eno1' }] })).toEqual(['NETWORK_CANNOT_REMOVE_MANAGEMENT_NETWORK']);
    expect(await reasons({ attachments: [mgmt(), { network: storageNet, nic: 'eno1' }] })).toEqual(['NETWORK_MTU_DIFFERENCES']);
    expect(await hostView()).toEqual(before);
    const refused = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'USER_ACTION_REFUSED' }, orderBy: { createdAt: 'desc' } });
    expect(refused.message).toContain('could not set up Host networks: The networks on eno1 do not have the same MTU');
  });

  it('a host without a network its cluster requires is NonOperational, with a reason and an event, and Up again once it has it', async () => {
    const dc = (await t.engine.db.cluster.findUniqueOrThrow({ where: { id: lab.clusterId } })).dataCenterId;
    const required = (
      await mutate(
        t,
        'addNetwork',
        {
          name: 'net-needed',
          dataCenter: Buffer.from(`DataCenter:${dc}`).toString('base64'),
          vlanId: 400,
          clusters: [{ cluster: lab.clusterGid, required: true }],
        },
        'network',
      )
    ).id;
    await layOut(t, lab.hosts[0]!.gid, { attachments: [mgmt(), { network: required, nic: 'eno4' }] });
    expect((await hostView()).status).toBe('UP');
    await layOut(t, lab.hosts[0]!.gid, { attachments: [mgmt()] });
    const lacking = await hostView();
    expect(lacking).toMatchObject({
      status: 'NON_OPERATIONAL',
      nonOperationalReason: 'NETWORK_UNREACHABLE',
      statusReason: 'Host lacks the required network net-needed of its cluster.',
    });
    const event = await t.engine.db.auditLog.findFirstOrThrow({
      where: { code: 'VDS_SET_NONOPERATIONAL_NETWORK', hostId: lab.hosts[0]!.id },
    });
    expect(event.severity).toBe('WARNING');
    // A NonOperational host still takes a layout; with the network back it is Up.
    await layOut(t, lab.hosts[0]!.gid, { attachments: [mgmt(), { network: required, nic: 'eno4' }] });
    expect(await hostView()).toMatchObject({ status: 'UP', nonOperationalReason: null, statusReason: '' });
  });

  it('a host that comes back without its network configuration gets the last layout again', async () => {
    const h = lab.hosts[0]!;
    const layoutBefore = (await hostView()).nics;
    await h.agent.stop();
    // The agent process restarts with a fresh hypervisor: nothing kept its bonds and networks.
    const token = (
      await t.gql(
        `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
      ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
        { input: { hostId: h.gid } },
      )
    ).data.issueHostAgentToken.agentToken.token;
    const driver = new SimulatedHypervisor({ hostName: h.name, seed: 9, memoryMb: 16384, ...FAST });
    expect((await driver.capabilities()).network).toEqual({ bonds: [], networks: [] });
    h.agent = startAgent({ engineUrl: lab.url, hostName: h.name, token, driver, intervalMs: 100, log: () => {} });
    await vi.waitFor(
      async () => expect((await driver.capabilities()).network.networks.map((n) => n.name).sort()).toEqual(['net-needed', 'ovirtmgmt']),
      { timeout: 15_000 },
    );
    await vi.waitFor(async () => expect((await hostView()).nics).toEqual(layoutBefore), { timeout: 15_000 });
    expect(await t.engine.db.auditLog.count({ where: { code: 'VDS_NETWORKS_RESENT', hostId: h.id } })).toBe(1);
  });

  it('a change the host refuses fails with its reason in the event log, whether an administrator or the engine asked', async () => {
    // The agent may change eno2-eno4 only (as a libvirt agent started with --nics), not eno1, which it talks over.
    const h = await addSimulatedHost(t, lab.url, lab.clusterGid, 'net-h2', {
      seed: 2,
      memoryMb: 16384,
      ...FAST,
      managedNics: ['eno2', 'eno3', 'eno4'],
    });
    try {
      // On its first hello the engine sends it the management network on eno1; the host's refusal is an event.
      const refusal = 'eno1 is not a NIC this agent manages (its NICs: eno2, eno3, eno4)';
      await vi.waitFor(
        async () =>
          expect(
            (await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'VDS_NETWORKS_SETUP_FAILED', hostId: h.id } })).message,
          ).toBe(`Host net-h2 refused the network layout the engine sent it (ovirtmgmt on eno1): ${refusal}`),
        { timeout: 15_000 },
      );
      await vi.waitFor(() => expect(t.engine.hosts.isConnected(h.id)).toBe(true), { timeout: 15_000 });
      // An administrator's change on eno1: the action fails with the host's words, and the host keeps what it had.
      const failed = await setupNetworks(t, h.gid, {
        attachments: [
          { network: lab.mgmtGid, nic: 'eno1' },
          { network: backupNet, nic: 'eno2' },
        ],
      });
      expect(failed).toMatchObject({ __typename: 'ActionFailedError', message: expect.stringContaining(`host net-h2: ${refusal}`) });
      const event = await t.engine.db.auditLog.findFirstOrThrow({
        where: { hostId: h.id, code: { not: 'VDS_NETWORKS_SETUP_FAILED' }, severity: 'ERROR' },
        orderBy: { createdAt: 'desc' },
      });
      expect(event.message).toContain(refusal);
      expect((await h.driver.capabilities()).network).toEqual({ bonds: [], networks: [] });
      expect(await t.engine.db.auditLog.count({ where: { code: 'VDS_NETWORKS_SETUP_FAILED', hostId: h.id } })).toBe(1);
    } finally {
      await h.agent.stop();
    }
  });
});
