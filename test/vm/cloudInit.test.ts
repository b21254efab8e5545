// cloud-init for a VM's first boot through the API, on a simulated host whose agent builds the
// NoCloud config drive with genisoimage as a libvirt host does: the domain the host runs has it as
// a second read-only CD-ROM, an ISO labelled `cidata` whose files (read back with isoinfo) hold
// the host name, user, password, SSH key and network asked for. The password is never returned by
// the API nor written in events or configuration revisions.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { startPosixStorage, type PosixStorage } from '../support/posixStorage.ts';
import { isoLabel, readIsoFile } from '../support/isoFiles.ts';
import { runVmUp, stopVmDown } from '../support/vmPower.ts';

const PASSWORD = 'Correct-Horse-9931';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvireotestkeyvireotestkeyvireotestkey00 ops@example.org';
let storage: PosixStorage;
let t: TestEngine;

beforeAll(async () => {
  storage = await startPosixStorage('K', 'ci-host');
  t = storage.t;
});
afterAll(() => storage?.close());

const INIT = `initialization { hostName userName passwordSet sshAuthorizedKeys nics { name bootProtocol address prefix gateway } dnsServers }`;
const vmNode = async (gid: string) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { ${INIT} } } }`, { id: gid })).data.node;

describe('cloud-init for the first boot', () => {
  let vm: string;

  it('refuses a password without a user and a STATIC NIC without its address', async () => {
    const r = await t.gql(`query($i: AddVmInput!) { canAddVm(input: $i) { allowed reasons { code message } } }`, {
      i: {
        name: 'ci-bad',
        cluster: storage.inv.cluster.id,
        initialization: { password: 'x', nics: [{ name: 'eth0', bootProtocol: 'STATIC' }] },
      },
    });
    expect(r.data.canAddVm.allowed).toBe(false);
    expect(r.data.canAddVm.reasons[0].code).toBe('BAD_INPUT');
    expect(r.data.canAddVm.reasons[0].message).toMatch(/a password needs its userName/);
    expect(r.data.canAddVm.reasons[0].message).toMatch(/a STATIC NIC needs its address and prefix/);
  });

  it('keeps what was asked, shows all but the password', async () => {
    vm = (
      await mutate(
        t,
        'addVm',
        {
          name: 'ci01',
          cluster: storage.inv.cluster.id,
          nics: [{ name: 'nic1' }],
          initialization: {
            hostName: 'web1.example.org',
            userName: 'ops',
            password: PASSWORD,
            sshAuthorizedKeys: [KEY],
            nics: [{ name: 'eth0', bootProtocol: 'STATIC', address: '192.0.2.10', prefix: 24, gateway: '192.0.2.1' }],
            dnsServers: ['192.0.2.53'],
          },
        },
        'vm',
      )
    ).id;
    expect(await vmNode(vm)).toEqual({
      initialization: {
        hostName: 'web1.example.org',
        userName: 'ops',
        passwordSet: true,
        sshAuthorizedKeys: [KEY],
        nics: [{ name: 'eth0', bootProtocol: 'STATIC', address: '192.0.2.10', prefix: 24, gateway: '192.0.2.1' }],
        dnsServers: ['192.0.2.53'],
      },
    });
    // Edited without a password: the one it had stays.
    expect(
      (
        await mutate(
          t,
          'updateVm',
          { id: vm, initialization: { hostName: 'web2.example.org', userName: 'ops', sshAuthorizedKeys: [KEY] } },
          'vm',
        )
      ).id,
    ).toBe(vm);
    expect((await vmNode(vm)).initialization).toMatchObject({ hostName: 'web2.example.org', passwordSet: true, nics: [] });
  });

  it('the host runs the VM with a cidata config drive holding the files asked for', async () => {
    await runVmUp(t, vm);
    const vmId = decodeGlobalID(vm).id;
    const xml = await storage.host.driver.currentDescription(vmId);
    const drive = /<disk type="file" device="cdrom">(?:(?!<\/disk>)[\s\S])*?ua-cidata[\s\S]*?<\/disk>/.exec(xml)?.[0] ?? '';
    const iso = /<source file="([^"]+)"/.exec(drive)?.[1] ?? '';
    expect(drive).toContain('<target dev="hdd" bus="ide"/>');
    expect(drive).toContain('<readonly/>');
    expect(existsSync(iso)).toBe(true);
    expect(path.basename(iso)).toBe(`${vmId}-cidata.iso`);
    expect(isoLabel(iso)).toBe('cidata');
    const userData = readIsoFile(iso, 'user-data');
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    const config = JSON.parse(userData.slice('#cloud-config\n'.length));
    expect(config).toMatchObject({ hostname: 'web2', fqdn: 'web2.example.org', ssh_pwauth: true });
    expect(config.users[1]).toMatchObject({ name: 'ops', plain_text_passwd: PASSWORD, lock_passwd: false, ssh_authorized_keys: [KEY] });
    expect(JSON.parse(readIsoFile(iso, 'meta-data'))).toEqual({ 'instance-id': vmId, 'local-hostname': 'web2.example.org' });
    await stopVmDown(t, vm);
  });

  it('a network configuration goes into network-config', async () => {
    await mutate(
      t,
      'updateVm',
      {
        id: vm,
        initialization: {
          hostName: 'web2.example.org',
          nics: [{ name: 'eth0', bootProtocol: 'STATIC', address: '192.0.2.10', prefix: 24, gateway: '192.0.2.1' }],
          dnsServers: ['192.0.2.53'],
        },
      },
      'vm',
    );
    await runVmUp(t, vm);
    const vmId = decodeGlobalID(vm).id;
    const iso = /<source file="([^"]+-cidata\.iso)"/.exec(await storage.host.driver.currentDescription(vmId))![1]!;
    expect(JSON.parse(readIsoFile(iso, 'network-config'))).toEqual({
      version: 1,
      config: [
        { type: 'physical', name: 'eth0', subnets: [{ type: 'static', address: '192.0.2.10/24', gateway: '192.0.2.1' }] },
        { type: 'nameserver', address: ['192.0.2.53'] },
      ],
    });
    await stopVmDown(t, vm);
  });

  it('the password is in no API answer, event or configuration revision', async () => {
    const everything = JSON.stringify(
      await t.gql(
        `query($id: ID!) {
        node(id: $id) { ... on Vm { ${INIT} configHistory(first: 50) { config changedFields } } }
        events(first: 200) { edges { node { message } } }
      }`,
        { id: vm },
      ),
    );
    expect(everything).not.toContain(PASSWORD);
    const revisions = await t.engine.db.configRevision.findMany({ where: { objectId: decodeGlobalID(vm).id } });
    expect(revisions.length).toBeGreaterThan(0);
    const configs = JSON.stringify(revisions.map((r) => r.config));
    expect(configs).toContain('web2.example.org');
    expect(configs).not.toContain(PASSWORD);
    expect(configs).not.toContain('initializationPasswordSealed');
  });
});
