// VM custom properties and VDSM hooks through the API, with simulated hosts whose agents have a
// hooks folder: the cluster says which properties its VMs may have, addVm/updateVm refuse others
// (typed, nothing changed), Host.hooks lists what the agent has, a before_vm_start hook sees the
// VM's properties in its environment, and a failing one fails runVm with its stderr, the VM Down.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { act, FAST, jobEnds, vmReaches } from '../vm/lifecycleSupport.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let host: SimHost;
let clusterGid: string;
let hooksDir: string;
const seen = () => path.join(hooksDir, 'seen');

async function hook(event: string, name: string, body: string) {
  await mkdir(path.join(hooksDir, event), { recursive: true });
  await writeFile(path.join(hooksDir, event, name), `#!/bin/sh\n${body}\n`);
  await chmod(path.join(hooksDir, event, name), 0o755);
}

const VM_FIELDS = `__typename ... on Error { code message } ... on ValidationError { reasons { code message } }`;

async function addVm(name: string, customProperties: { name: string; value: string }[]) {
  const res = await t.gql(
    `mutation($input: AddVmInput!) { addVm(input: $input) { ${VM_FIELDS}
      ... on MutationAddVmSuccess { vm { id customProperties { name value } } } } }`,
    { input: { name, cluster: clusterGid, memoryMb: 1024, customProperties } },
  );
  return res.data.addVm;
}

beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
  hooksDir = await mkdtemp(path.join(tmpdir(), 'vireo-hooks-'));
  // Written before the agent says hello: its hello lists them.
  await hook('before_vm_start', '10_record', `echo "$vmId macspoof=$macspoof sap_agent=$sap_agent" >> ${hooksDir}/seen`);
  await hook(
    'before_vm_start',
    '20_sap',
    `if [ "$sap_agent" = "refuse" ]; then echo "sap agent: no license for this host" >&2; exit 1; fi`,
  );
  await hook('after_vm_destroy', '50_cleanup', 'true');
  const inv = await buildInventory(t, 'cp');
  clusterGid = inv.cluster.id;
  host = await addSimulatedHost(t, server.url, clusterGid, 'cp-h1', { memoryMb: 16384, ...FAST }, 100, undefined, { hooksDir });
  await hostsUp(t, [host]);
});
afterAll(async () => {
  await host.agent.stop();
  await server.stop();
  await t.engine.monitoring.stop();
  await t.close();
  await rm(hooksDir, { recursive: true, force: true });
});

describe('the custom properties a cluster allows', () => {
  it('are set with updateCluster; a bad expression or a name twice is refused and changes nothing', async () => {
    const update = (customProperties: unknown) =>
      t.gql(
        `mutation($input: UpdateClusterInput!) { updateCluster(input: $input) { ${VM_FIELDS}
          ... on MutationUpdateClusterSuccess { cluster { customProperties { name valueRegex } } } } }`,
        { input: { id: clusterGid, customProperties } },
      );
    const bad = await update([{ name: 'macspoof', valueRegex: '(true|false' }]);
    expect(bad.errors?.[0]?.extensions?.code ?? bad.data.updateCluster.code).toBe('BAD_INPUT');
    const twice = await update([
      { name: 'macspoof', valueRegex: 'true' },
      { name: 'macspoof', valueRegex: 'false' },
    ]);
    expect(twice.data.updateCluster.reasons).toEqual([
      { code: 'CUSTOM_PROPERTY_TWICE', message: 'The custom property macspoof is given twice.' },
    ]);
    const badName = await update([{ name: 'mac-spoof', valueRegex: 'true' }]);
    expect(badName.errors?.[0]?.extensions?.code ?? badName.data.updateCluster.code).toBe('BAD_INPUT');
    const rows = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Cluster { customProperties { name } } } }`, { id: clusterGid }))
      .data.node.customProperties;
    expect(rows).toEqual([]);

    const ok = await update([
      { name: 'macspoof', valueRegex: '(true|false)' },
      { name: 'sap_agent', valueRegex: '[a-z]+' },
    ]);
    expect(ok.data.updateCluster.cluster.customProperties).toEqual([
      { name: 'macspoof', valueRegex: '(true|false)' },
      { name: 'sap_agent', valueRegex: '[a-z]+' },
    ]);
  });

  it('addVm refuses a name the cluster does not allow and a value its expression does not match in full; nothing is created', async () => {
    const notAllowed = await addVm('cp-refused', [{ name: 'hugepages', value: '1024' }]);
    expect(notAllowed).toMatchObject({ __typename: 'ValidationError', code: 'CUSTOM_PROPERTY_NOT_ALLOWED' });
    expect(notAllowed.reasons).toEqual([
      {
        code: 'CUSTOM_PROPERTY_NOT_ALLOWED',
        message: 'Cluster cp-cluster does not allow the custom property hugepages (allowed: macspoof, sap_agent).',
      },
    ]);
    const badValue = await addVm('cp-refused', [{ name: 'macspoof', value: 'truely' }]);
    expect(badValue.reasons).toEqual([
      { code: 'CUSTOM_PROPERTY_VALUE_INVALID', message: 'The value "truely" of custom property macspoof does not match (true|false).' },
    ]);
    expect(await t.engine.db.vm.count({ where: { name: 'cp-refused' } })).toBe(0);

    const vm = await addVm('cp-vm', [
      { name: 'sap_agent', value: 'on' },
      { name: 'macspoof', value: 'true' },
    ]);
    expect(vm.vm.customProperties).toEqual([
      { name: 'macspoof', value: 'true' },
      { name: 'sap_agent', value: 'on' },
    ]);
  });

  it('updateVm replaces them, refusing the same way and then changing nothing', async () => {
    const vm = await addVm('cp-edit', [{ name: 'macspoof', value: 'false' }]);
    const update = (customProperties: unknown) =>
      t.gql(
        `mutation($input: UpdateVmInput!) { updateVm(input: $input) { ${VM_FIELDS}
          ... on MutationUpdateVmSuccess { vm { customProperties { name value } } } } }`,
        { input: { id: vm.vm.id, customProperties, description: 'edited' } },
      );
    const refused = (await update([{ name: 'sap_agent', value: 'UPPER' }])).data.updateVm;
    expect(refused.reasons.map((r: { code: string }) => r.code)).toEqual(['CUSTOM_PROPERTY_VALUE_INVALID']);
    const row = await t.engine.db.vm.findUniqueOrThrow({ where: { id: decodeGlobalID(vm.vm.id).id } });
    expect(row).toMatchObject({ customProperties: { macspoof: 'false' }, description: '' });
    const ok = (await update([{ name: 'sap_agent', value: 'upper' }])).data.updateVm;
    expect(ok.vm.customProperties).toEqual([{ name: 'sap_agent', value: 'upper' }]);
  });
});

describe('hooks on the host', () => {
  it('Host.hooks lists what the agent has in its hooks folder', async () => {
    const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { hooks { event name checksum } } } }`, { id: host.gid });
    expect(res.data.node.hooks).toEqual([
      { event: 'after_vm_destroy', name: '50_cleanup', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { event: 'before_vm_start', name: '10_record', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { event: 'before_vm_start', name: '20_sap', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it("a before_vm_start hook gets the VM's custom properties; one that fails fails runVm with its stderr and the VM stays Down", async () => {
    const vm = await addVm('cp-run', [
      { name: 'macspoof', value: 'true' },
      { name: 'sap_agent', value: 'on' },
    ]);
    const vmId = decodeGlobalID(vm.vm.id).id;
    const run = await act(t, 'runVm', { id: vm.vm.id });
    expect(run.__typename).toBe('MutationRunVmSuccess');
    await jobEnds(t, run.result.job.id);
    await vmReaches(t, vmId, 'UP');
    expect(await readFile(seen(), 'utf8')).toContain(`${vmId} macspoof=true sap_agent=on\n`);

    const refused = await addVm('cp-refuse', [{ name: 'sap_agent', value: 'refuse' }]);
    const refusedId = decodeGlobalID(refused.vm.id).id;
    const failed = await act(t, 'runVm', { id: refused.vm.id });
    expect(failed).toMatchObject({
      __typename: 'ActionFailedError',
      code: 'ACTION_FAILED',
      message: 'Failed to run VM: host cp-h1: before_vm_start hook 20_sap failed: sap agent: no license for this host',
    });
    expect(await t.engine.db.vm.findUniqueOrThrow({ where: { id: refusedId } })).toMatchObject({ status: 'DOWN', hostId: null });
    const events = await t.engine.db.auditLog.findMany({ where: { vmId: refusedId, code: 'USER_ACTION_FAILED' } });
    expect(events.map((e) => e.message).join('\n')).toContain('sap agent: no license for this host');
    // Nothing of it runs on the host.
    await vi.waitFor(async () => expect((await host.driver.listDomains()).map((d) => d.id)).not.toContain(refusedId));
  });
});
