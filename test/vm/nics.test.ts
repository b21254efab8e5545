// A VM's NICs added, edited and removed through the API, as the portal does: on a Down VM the
// definition changes; on a running one the host's hypervisor (a simulated one, whose domain XML is
// what libvirt would have) gets the NIC plugged, moved, re-plugged or unplugged; refusals are typed,
// the dry run says the same, and a host that refuses leaves everything as it was.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { act, addVm, carryVmNet, FAST, jobEnds, startLab, vmReaches, type Lab } from './lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;
let refusing: SimHost;
let hooksDir: string;
let backupNet: string;
let otherDcNet: string;

const PAYLOAD = `__typename ... on Error { code message } ... on ValidationError { reasons { code message } } ... on InputError { issues { path message } }`;
const NIC = 'id name macAddress interface linked plugged network { name }';

async function nicAction(name: 'addVmNic' | 'updateVmNic' | 'removeVmNic', input: Record<string, unknown>) {
  const Input = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const success = name === 'removeVmNic' ? 'removed { id }' : `nic { ${NIC} }`;
  const run = await t.gql(
    `mutation($i: ${Input}!) { ${name}(input: $i) { ${PAYLOAD} ... on Mutation${Input.slice(0, -5)}Success { ${success} } } }`,
    {
      i: input,
    },
  );
  const can = `can${Input.slice(0, -5)}`;
  return {
    run: run.data?.[name] ?? run,
    can: async () => (await t.gql(`query($i: ${Input}!) { ${can}(input: $i) { allowed reasons { code } } }`, { i: input })).data[can],
  };
}

async function nicsOf(vmGid: string) {
  return (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { nics { ${NIC} } } } }`, { id: vmGid })).data.node.nics;
}

async function lastEvent(vmId: string) {
  return t.engine.db.auditLog.findFirstOrThrow({ where: { vmId }, orderBy: { createdAt: 'desc' } });
}

/** The domain XML of the VM on its simulated host: what `virsh dumpxml` would show. */
async function domainOn(host: SimHost, vmId: string) {
  return host.driver.currentDescription(vmId);
}

beforeAll(async () => {
  t = await startTestEngine();
  lab = await startLab(t, 'nic', 1);
  await carryVmNet(t, lab, lab.hosts);
  const cluster = await t.engine.db.cluster.findUniqueOrThrow({ where: { id: lab.clusterId } });
  const dcGid = Buffer.from(`DataCenter:${cluster.dataCenterId}`).toString('base64');
  backupNet = (
    await mutate(
      t,
      'addNetwork',
      { name: 'nic-backup', dataCenter: dcGid, clusters: [{ cluster: lab.clusterGid, required: false }] },
      'network',
    )
  ).id;
  const otherDc = await mutate(t, 'addDataCenter', { name: 'nic-elsewhere' }, 'dataCenter');
  otherDcNet = (await mutate(t, 'addNetwork', { name: 'far-net', dataCenter: otherDc.id }, 'network')).id;
  // A host whose before_nic_hotplug hook refuses every NIC.
  hooksDir = await mkdtemp(path.join(tmpdir(), 'vireo-nic-hooks-'));
  await mkdir(path.join(hooksDir, 'before_nic_hotplug'));
  const hook = path.join(hooksDir, 'before_nic_hotplug', '10_refuse');
  await writeFile(hook, '#!/bin/sh\necho "port security: no more ports on this switch" >&2\nexit 1\n');
  await chmod(hook, 0o755);
  refusing = await addSimulatedHost(t, lab.url, lab.clusterGid, 'nic-h2', { memoryMb: 16384, ...FAST }, 100, undefined, { hooksDir });
  await hostsUp(t, [refusing]);
});
afterAll(async () => {
  await refusing.agent.stop();
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
  await rm(hooksDir, { recursive: true, force: true });
});

describe('NICs of a Down VM', () => {
  it('are added with a MAC from the pool, edited and removed; each change is an event', async () => {
    const vm = await addVm(t, lab, 'nic01');
    const added = (await nicAction('addVmNic', { vm: vm.gid, network: lab.vmNetGid })).run;
    expect(added.__typename).toBe('MutationAddVmNicSuccess');
    expect(added.nic).toMatchObject({ name: 'nic1', interface: 'VIRTIO', linked: true, plugged: true, network: { name: 'nic-vmnet' } });
    expect(added.nic.macAddress).toMatch(/^56:6f(:[0-9a-f]{2}){4}$/);
    expect((await lastEvent(vm.id)).message).toBe(
      `Interface nic1 (virtio, ${added.nic.macAddress}, network nic-vmnet) was added to VM nic01 by admin@internal.`,
    );

    const edited = (
      await nicAction('updateVmNic', {
        vm: vm.gid,
        nic: added.nic.id,
        name: 'eth-a',
        interface: 'E1000',
        linked: false,
        network: backupNet,
      })
    ).run;
    expect(edited.nic).toMatchObject({
      id: added.nic.id,
      name: 'eth-a',
      interface: 'E1000',
      linked: false,
      network: { name: 'nic-backup' },
    });
    expect((await lastEvent(vm.id)).message).toBe(
      `Interface eth-a of VM nic01 was updated by admin@internal (e1000, ${added.nic.macAddress}, network nic-backup, link down).`,
    );
    const own = (await nicAction('updateVmNic', { vm: vm.gid, nic: added.nic.id, macAddress: '56:6F:00:AA:BB:01', emptyNetwork: true }))
      .run;
    expect(own.nic).toMatchObject({ macAddress: '56:6f:00:aa:bb:01', network: null });

    const removed = (await nicAction('removeVmNic', { vm: vm.gid, nic: added.nic.id })).run;
    expect(removed).toEqual({ __typename: 'MutationRemoveVmNicSuccess', removed: { id: added.nic.id } });
    expect(await nicsOf(vm.gid)).toEqual([]);
    expect((await lastEvent(vm.id)).code).toBe('NETWORK_REMOVE_VM_INTERFACE');
  });

  it('refuses a MAC taken or outside the pool, a network not in the cluster, a name taken: typed, the dry run alike, nothing changed', async () => {
    const vm = await addVm(t, lab, 'nic02');
    const other = await addVm(t, lab, 'nic03');
    const theirs = (await nicAction('addVmNic', { vm: other.gid, macAddress: '56:6f:00:00:00:42' })).run.nic;
    const mine = (await nicAction('addVmNic', { vm: vm.gid, name: 'eth0' })).run.nic;
    const before = await nicsOf(vm.gid);
    const refusals: [Record<string, unknown>, string][] = [
      [{ vm: vm.gid, macAddress: '52:54:00:12:34:56' }, 'MAC_ADDRESS_OUTSIDE_POOL'],
      [{ vm: vm.gid, macAddress: theirs.macAddress }, 'NETWORK_MAC_ADDRESS_IN_USE'],
      [{ vm: vm.gid, network: otherDcNet }, 'NETWORK_NOT_IN_CLUSTER'],
      [{ vm: vm.gid, name: 'eth0' }, 'NETWORK_INTERFACE_NAME_ALREADY_IN_USE'],
    ];
    for (const [input, code] of refusals) {
      const { run, can } = await nicAction('addVmNic', input);
      expect(run).toMatchObject({ __typename: 'ValidationError', code });
      expect(await can()).toEqual({ allowed: false, reasons: [{ code }] });
    }
    expect((await lastEvent(vm.id)).code).toBe('USER_ACTION_REFUSED');
    const moved = await nicAction('updateVmNic', { vm: vm.gid, nic: mine.id, macAddress: theirs.macAddress });
    expect(moved.run).toMatchObject({ __typename: 'ValidationError', code: 'NETWORK_MAC_ADDRESS_IN_USE' });
    expect(await moved.can()).toEqual({ allowed: false, reasons: [{ code: 'NETWORK_MAC_ADDRESS_IN_USE' }] });
    const malformed = (await nicAction('addVmNic', { vm: vm.gid, macAddress: '56:6f:zz' })).run;
    expect(malformed.__typename).toBe('InputError');
    expect(malformed.issues[0].path).toBe('macAddress');
    // A NIC of another VM is not this VM's to edit.
    const foreign = (await nicAction('removeVmNic', { vm: vm.gid, nic: theirs.id })).run;
    expect(foreign.code).toBe('NOT_FOUND');
    expect(await nicsOf(vm.gid)).toEqual(before);
    expect(await nicsOf(other.gid)).toHaveLength(1);
  });
});

describe('NICs of a running VM', () => {
  it('are hot-plugged, moved live, re-plugged for a new model, unplugged and removed on its host', async () => {
    const vm = await addVm(t, lab, 'nic10');
    const host = lab.hosts[0]!;
    expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: host.gid })).result.job.id)).status).toBe('FINISHED');
    await vmReaches(t, vm.id, 'UP');

    const nic = (await nicAction('addVmNic', { vm: vm.gid, network: lab.vmNetGid })).run.nic;
    const mac = nic.macAddress;
    const iface = (xml: string) => xml.match(new RegExp(`<interface[^>]*>(?:(?!</interface>)[\\s\\S])*${mac}[\\s\\S]*?</interface>`))?.[0];
    let xml = iface(await domainOn(host, vm.id));
    expect(xml).toContain('<source bridge="nic-vmnet"');
    expect(xml).toContain('<model type="virtio"');
    expect((await lastEvent(vm.id)).message).toMatch(/was added to VM nic10 by admin@internal; hot-plugged on host nic-h1\.$/);

    // nic-backup is not on the host: the NIC moves to user-mode networking there, link down, live.
    await nicAction('updateVmNic', { vm: vm.gid, nic: nic.id, network: backupNet, linked: false });
    xml = iface(await domainOn(host, vm.id));
    expect(xml).toMatch(/^<interface type="user">/);
    expect(xml).toContain('<link state="down"');
    expect((await lastEvent(vm.id)).message).toMatch(/; changed live on host nic-h1\.$/);

    await nicAction('updateVmNic', { vm: vm.gid, nic: nic.id, interface: 'E1000', network: lab.vmNetGid, linked: true });
    xml = iface(await domainOn(host, vm.id));
    expect(xml).toContain('<model type="e1000"');
    expect(xml).toContain('<source bridge="nic-vmnet"');
    expect((await lastEvent(vm.id)).message).toMatch(/; unplugged and plugged again on host nic-h1\.$/);

    const unplugged = (await nicAction('updateVmNic', { vm: vm.gid, nic: nic.id, plugged: false })).run.nic;
    expect(unplugged.plugged).toBe(false);
    expect(await domainOn(host, vm.id)).not.toContain(mac);
    await nicAction('updateVmNic', { vm: vm.gid, nic: nic.id, plugged: true });
    expect(await domainOn(host, vm.id)).toContain(mac);

    expect((await nicAction('removeVmNic', { vm: vm.gid, nic: nic.id })).run.__typename).toBe('MutationRemoveVmNicSuccess');
    expect(await domainOn(host, vm.id)).not.toContain(mac);
    expect((await lastEvent(vm.id)).message).toMatch(/was removed from VM nic10 by admin@internal; hot-unplugged on host nic-h1\.$/);
    expect(await nicsOf(vm.gid)).toEqual([]);
  });

  it('a host that refuses the hot-plug leaves the VM as it was and the event says why', async () => {
    const vm = await addVm(t, lab, 'nic11');
    expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: refusing.gid })).result.job.id)).status).toBe('FINISHED');
    await vmReaches(t, vm.id, 'UP');
    const { run } = await nicAction('addVmNic', { vm: vm.gid, network: lab.vmNetGid });
    expect(run.code).toBe('ACTION_FAILED');
    expect(run.message).toContain('port security: no more ports on this switch');
    expect(await nicsOf(vm.gid)).toEqual([]);
    expect(await domainOn(refusing, vm.id)).not.toContain('<interface');
    const event = await lastEvent(vm.id);
    expect(event.code).toBe('USER_ACTION_FAILED');
    expect(event.message).toContain('before_nic_hotplug hook 10_refuse failed: port security: no more ports on this switch');
  });
});
