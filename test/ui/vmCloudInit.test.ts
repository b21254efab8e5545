// cloud-init for a VM's first boot edited in its Edit dialog in Chromium, against a real engine:
// host name, user, password, SSH key, a static guest interface and DNS servers saved (the API
// shows them, the password only as set), shown again when the dialog reopens, a bad key refused
// with the field named and nothing changed, and every field emptied removing the settings. A VM
// created in the New VM dialog with interfaces added and one removed has those left.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import {
  SHOTS,
  adminPage,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { seriousViolations } from './axe.ts';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0cloudinitportaltestkey ops@laptop';
const INIT =
  'initialization { hostName userName passwordSet sshAuthorizedKeys nics { name bootProtocol address prefix gateway } dnsServers }';

describe.skipIf(!runBrowserTests)('cloud-init in the VM edit dialog in Chromium', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let page: Page;
  let vm: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    const inv = await buildInventory(t, 'ci');
    vm = (await mutate(t, 'addVm', { name: 'ci-web', cluster: inv.cluster.id, memoryMb: 512 }, 'vm')).id;
    server = await serveEngineWithUi(t);
    browser = await launchChromium();
    page = await adminPage(browser, t);
  });
  afterAll(async () => {
    await stopBrowserTest(browser, server, t);
  });

  const init = async () =>
    (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { ${INIT} } } }`, { id: vm })).data.node.initialization;
  const dialog = () => page.getByRole('dialog', { name: 'Edit VM ci-web' });
  const openEdit = async () => {
    await page.goto(`${server.origin}/vms/${vm}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await dialog().waitFor();
  };

  it('saves host name, user, password, SSH key and a static interface, and shows them when reopened', async () => {
    await openEdit();
    const d = dialog();
    await d.getByLabel('Guest host name (cloud-init)').fill('web1.example.org');
    await d.getByLabel('Guest user', { exact: true }).fill('ops');
    await d.getByLabel("Guest user's password").fill('s3cret-pass');
    await d.getByLabel('SSH public keys').fill(KEY);
    await d.getByRole('button', { name: 'Add interface' }).click();
    await d.getByLabel('Interface 1 name').fill('eth0');
    await d.getByLabel('Interface 1 addressing').selectOption('STATIC');
    await d.getByLabel('Interface 1 static address').fill('192.0.2.10/24');
    await d.getByLabel('Interface 1 gateway').fill('192.0.2.1');
    await d.getByLabel('DNS servers').fill('192.0.2.53, 192.0.2.54');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'vm-cloud-init.png'), fullPage: true });
    await d.getByRole('button', { name: 'Save' }).click();
    await d.waitFor({ state: 'detached' });
    expect(await init()).toEqual({
      hostName: 'web1.example.org',
      userName: 'ops',
      passwordSet: true,
      sshAuthorizedKeys: [KEY],
      nics: [{ name: 'eth0', bootProtocol: 'STATIC', address: '192.0.2.10', prefix: 24, gateway: '192.0.2.1' }],
      dnsServers: ['192.0.2.53', '192.0.2.54'],
    });

    await openEdit();
    expect(await dialog().getByLabel('Guest host name (cloud-init)').inputValue()).toBe('web1.example.org');
    expect(await dialog().getByLabel('SSH public keys').inputValue()).toBe(KEY);
    expect(await dialog().getByLabel('Interface 1 static address').inputValue()).toBe('192.0.2.10/24');
    expect(await dialog().getByLabel("Guest user's password").inputValue()).toBe('');
    await dialog().getByText('A password is set; leave empty to keep it').waitFor();
    // Saved again without touching the password: it stays set.
    await dialog().getByLabel('Guest host name (cloud-init)').fill('web2.example.org');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await init()).toMatchObject({ hostName: 'web2.example.org', passwordSet: true });
  });

  it('refuses a bad SSH key with the field named, changing nothing, and removes cloud-init when every field is emptied', async () => {
    await openEdit();
    await dialog().getByLabel('SSH public keys').fill('not a key');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog()
      .getByText(/sshAuthorizedKeys.*must be an OpenSSH public key line/)
      .first()
      .waitFor();
    expect((await init()).sshAuthorizedKeys).toEqual([KEY]);
    await page.screenshot({ path: path.join(SHOTS, 'vm-cloud-init-refused.png'), fullPage: true });

    for (const label of ['Guest host name (cloud-init)', 'SSH public keys', 'DNS servers']) await dialog().getByLabel(label).fill('');
    await dialog().getByRole('button', { name: 'Remove interface 1' }).click();
    await dialog().getByLabel('Guest user', { exact: true }).fill('');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await init()).toBeNull();
  });

  it('creates a VM with two guest interfaces, one added then removed in between, and the API has both', async () => {
    await page.goto(`${server.origin}/vms`);
    await page.getByRole('button', { name: 'New VM' }).click();
    const d = page.getByRole('dialog', { name: 'New virtual machine' });
    await d.getByLabel('Name *').fill('ci-two-nics');
    await d.getByLabel('Cluster *').selectOption({ label: 'ci-cluster (ci-dc)' });
    for (let i = 0; i < 3; i++) await d.getByRole('button', { name: 'Add interface' }).click();
    await d.getByLabel('Interface 1 name').fill('eth0');
    await d.getByLabel('Interface 2 name').fill('eth-dropped');
    await d.getByLabel('Interface 3 name').fill('eth1');
    await d.getByLabel('Interface 3 addressing').selectOption('STATIC');
    await d.getByLabel('Interface 3 static address').fill('198.51.100.7/25');
    await d.getByLabel('Interface 3 gateway').fill('198.51.100.1');
    await d.getByRole('button', { name: 'Remove interface 2' }).click();
    // The rows after it move up: eth1 is now interface 2, its static settings with it.
    expect(await d.getByLabel('Interface 2 name').inputValue()).toBe('eth1');
    expect(await d.getByLabel('Interface 2 static address').inputValue()).toBe('198.51.100.7/25');
    expect(await d.getByLabel('Interface 3 name').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'vm-cloud-init-two-nics.png'), fullPage: true });
    await d.getByRole('button', { name: 'Save' }).click();
    await d.waitFor({ state: 'detached' });
    const vms = (await t.gql(`{ vms(filter: { nameContains: "ci-two-nics" }) { edges { node { name ${INIT} } } } }`)).data.vms.edges;
    expect(vms).toHaveLength(1);
    expect(vms[0].node.initialization.nics).toEqual([
      { name: 'eth0', bootProtocol: 'DHCP', address: null, prefix: null, gateway: null },
      { name: 'eth1', bootProtocol: 'STATIC', address: '198.51.100.7', prefix: 25, gateway: '198.51.100.1' },
    ]);
  });
});
