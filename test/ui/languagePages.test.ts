// The admin portal's detail pages and add/edit dialogs in Simplified Chinese, in Chromium against a
// seeded engine with a simulated host: each page's headings and labels are Chinese and no English is
// left but names, units and what the engine or the host reported (identifiers, versions, reasons).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { GiB, buildInventory, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { until } from '../support/until.ts';
import { runVmUp } from '../support/vmPower.ts';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  SHOTS,
  buildUi,
  launchChromium,
  runBrowserTests,
  serveEngineWithUi,
  sessionPage,
  stopBrowserTest,
  type UiServer,
} from './browser.ts';
import { englishLeft } from './englishLeft.ts';

describe.skipIf(!runBrowserTests)('detail pages and dialogs in Simplified Chinese', () => {
  let t: TestEngine;
  let server: UiServer;
  let browser: Browser;
  let host: SimHost;
  /** A second host, added for the Migrate dialog's case (a VM migrates to another host). */
  let host2: SimHost | undefined;
  let clusterGid: string;
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  /** The Latin words of what the host reported (its NICs, hardware, versions) and its address. */
  let reported: string[];
  /** Template lang-tpl (a disk and a NIC), made of the Down VM lang-tpl-vm, and its OVF descriptor. */
  let template: { id: string };
  let tplVm: { id: string };
  let templateOvf: string;

  beforeAll(async () => {
    buildUi();
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestEngine();
    inv = await buildInventory(t, 'lang');
    server = await serveEngineWithUi(t);
    clusterGid = inv.cluster.id;
    host = await addSimulatedHost(t, `${server.origin}/graphql`, clusterGid, 'lang-host', { bootMs: 300 });
    await hostsUp(t, [host]);
    const vm = await mutate(t, 'addVm', { name: 'lang-vm', cluster: clusterGid }, 'vm');
    const group = {
      cluster: clusterGid,
      name: 'lang-group',
      vms: [vm.id],
      hosts: [host.gid],
      vmPolarity: 'POSITIVE',
      hostPolarity: 'NEGATIVE',
      hostEnforcing: true,
    };
    await mutate(t, 'addAffinityGroup', group, 'affinityGroup');
    tplVm = await mutate(
      t,
      'addVm',
      {
        name: 'lang-tpl-vm',
        cluster: clusterGid,
        nics: [{ name: 'nic1', network: inv.vmNet.id }],
        disks: [{ alias: 'lang-tpl-os', storageDomain: inv.storage.id, provisionedSizeBytes: GiB, bootable: true }],
      },
      'vm',
    );
    template = await mutate(t, 'addTemplate', { vm: tplVm.id, name: 'lang-tpl' }, 'template');
    await until(
      'template lang-tpl to be OK',
      async () => (await t.gql(`{ node(id: "${template.id}") { ... on Template { status } } }`)).data.node.status === 'OK',
    );
    templateOvf = (await t.gql(`{ templateOvf(id: "${template.id}") }`)).data.templateOvf;
    await mutate(t, 'addFenceAgent', { host: host.gid, type: 'ipmilan', address: '10.9.0.1', username: 'ipmi' }, 'fenceAgent');
    const node = (
      await t.gql(`{ node(id: "${host.gid}") { ... on Host { address cpuModel osVersion agentVersion
        hardware { vendor product serial kernel libvirtVersion qemuVersion } nics { name macAddress bondMode } } } }`)
    ).data.node;
    reported = JSON.stringify(node).match(/[A-Za-z]{2,}/g) ?? [];
    reported.push('fence', 'ipmilan', 'ipmi', 'LACP', 'ad', 'active', 'backup', 'Mb', 'MAC', 'NUMA', 'QEMU');
    // Disk formats, NIC models, the template's disk and the extension of the file chosen to import.
    reported.push('COW', 'RAW', 'VIRTIO', 'nic', 'os', 'ovf');
    // The operating systems are the engine's identifiers (other, rhel_9x64…), shown as they are.
    reported.push(...((await t.gql('{ operatingSystems }')).data.operatingSystems as string[]).join(' ').match(/[A-Za-z]{2,}/g)!);
    // Fence options and the search syntax are written as the agents and the engine read them.
    reported.push('lanplus', 'ipport', 'status', 'up', 'ok', 'name', 'web', 'tag', 'db', 'type', 'datacenter', 'prod', 'nfs');
    // Storage types and the path and mount option syntax.
    reported.push(
      'ISO',
      'ISCSI',
      'FCP',
      'GLUSTERFS',
      'POSIXFS',
      'LOCALFS',
      'server',
      'path',
      'iSCSI',
      'vers',
      'port',
      'POSIX',
      'GlusterFS',
    );
    // The action groups are the engine's codes (CREATE_VM…), listed as they are.
    const groups = (await t.gql('{ __type(name: "ActionGroup") { enumValues { name } } }')).data.__type.enumValues as { name: string }[];
    reported.push(
      ...groups
        .map((g) => g.name)
        .join(' ')
        .match(/[A-Za-z]{2,}/g)!,
    );
    // The built-in roles' names (SuperUser, UserRole…) are names, as in oVirt's Chinese portal.
    for (const r of (await t.gql('{ roles { name builtIn } }')).data.roles as { name: string; builtIn: boolean }[])
      if (r.builtIn) reported.push(r.name);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await host2?.agent.stop();
    await host?.agent.stop();
    await stopBrowserTest(browser, server, t);
  });

  const zhPage = () => sessionPage(browser, t.adminToken, 'admin', { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });

  /** The page's English left, the accessible names and placeholders included, once no dry run is pending. */
  async function settledEnglishLeft(page: Page, root = '#app'): Promise<string[]> {
    await page.waitForFunction(() => !document.querySelector('[data-pending], [aria-busy="true"]'));
    return englishLeft(page, root, reported, true);
  }

  it("shows a host's page in Chinese: properties, hardware, network, power management and tags", async () => {
    const page = await zhPage();
    await page.goto(`${server.origin}/hosts/${host.gid}`);
    await page.getByRole('heading', { name: 'lang-host' }).waitFor();
    await page.getByRole('heading', { name: '硬件' }).waitFor();
    await page.getByTestId('hardware').getByText('NUMA 节点').waitFor();
    const network = page.getByRole('region', { name: '网络', exact: true });
    await network.getByRole('table', { name: '网络接口' }).getByRole('columnheader', { name: '接口' }).waitFor();
    await network.getByRole('heading', { name: '设置主机网络' }).waitFor();
    await network.getByRole('group', { name: '新建绑定' }).getByRole('button', { name: '添加绑定' }).waitFor();
    const power = page.getByRole('region', { name: '电源管理' });
    await power.getByRole('cell', { name: 'fence_ipmilan' }).waitFor();
    await power.getByRole('button', { name: '添加隔离代理' }).click();
    await power.getByLabel('端口').waitFor();
    await page.getByRole('region', { name: '标签' }).getByText('没有标签。').waitFor();
    await page.getByRole('heading', { name: '此主机上的虚拟机' }).waitFor();
    expect(await settledEnglishLeft(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-host.png'), fullPage: true });

    await page.getByRole('button', { name: '编辑', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '编辑主机 lang-host' });
    await dialog.getByText('移动主机需要先将其置于维护模式').waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await page.context().close();
  });

  it("shows a cluster's page in Chinese: properties, balancing and its plan, affinity groups and the dialogs", async () => {
    const page = await zhPage();
    await page.goto(`${server.origin}/clusters/${clusterGid}`);
    await page.getByRole('heading', { name: 'lang-cluster' }).waitFor();
    const balancing = page.getByRole('region', { name: '负载均衡' });
    await balancing.getByRole('heading', { name: '当前均衡计划' }).waitFor();
    await balancing.getByRole('cell', { name: '不在这些主机上（强制）' }).waitFor();
    await balancing.getByRole('cell', { name: '在一起（非强制）' }).waitFor();
    await page.getByRole('heading', { name: '主机', exact: true }).getByText('主机').waitFor();
    expect(await settledEnglishLeft(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-cluster.png'), fullPage: true });

    const dialogs = [
      { open: () => page.getByRole('button', { name: '编辑', exact: true }).first().click(), name: '编辑集群 lang-cluster' },
      { open: () => balancing.getByRole('button', { name: '编辑策略和阈值' }).click(), name: '集群 lang-cluster 的负载均衡' },
      { open: () => balancing.getByRole('button', { name: '新建关联组' }).click(), name: '新建关联组' },
      { open: () => balancing.getByRole('button', { name: '编辑关联组 lang-group' }).click(), name: '编辑关联组 lang-group' },
    ];
    for (const d of dialogs) {
      await d.open();
      const dialog = page.getByRole('dialog', { name: d.name });
      await dialog.getByRole('button', { name: '取消' }).waitFor();
      expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.context().close();
  });

  // A data center's, a network's and a storage domain's page, then its edit dialog and the list
  // page's New dialog: Chinese, with no English left.
  const places = [
    {
      kind: 'data center',
      path: () => `/data-centers/${inv.dc.id}`,
      name: 'lang-dc',
      edit: '编辑数据中心 lang-dc',
      list: '/data-centers',
      add: '新建数据中心',
    },
    {
      kind: 'network',
      path: () => `/networks/${inv.vmNet.id}`,
      name: 'lang-vmnet',
      edit: '编辑网络 lang-vmnet',
      list: '/networks',
      add: '新建网络',
    },
    {
      kind: 'storage domain',
      path: () => `/storage/${inv.storage.id}`,
      name: 'lang-data',
      edit: '编辑存储域 lang-data',
      list: '/storage',
      add: '新建存储域',
    },
  ];
  for (const p of places)
    it(`shows a ${p.kind}'s page and its dialogs in Chinese`, async () => {
      const page = await zhPage();
      await page.goto(`${server.origin}${p.path()}`);
      await page.getByRole('heading', { name: p.name }).waitFor();
      await page.getByRole('navigation', { name: '导航路径' }).waitFor();
      expect(await settledEnglishLeft(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `language-zh-${p.kind.replace(' ', '-')}.png`), fullPage: true });
      for (const [open, name] of [
        [() => page.getByRole('button', { name: '编辑', exact: true }).first().click(), p.edit],
        [
          async () => {
            await page.goto(`${server.origin}${p.list}`);
            await page.getByRole('button', { name: p.add }).click();
          },
          p.add,
        ],
      ] as const) {
        await open();
        const dialog = page.getByRole('dialog', { name });
        await dialog.getByRole('button', { name: '取消' }).waitFor();
        expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
        await dialog.getByRole('button', { name: '取消' }).click();
        await dialog.waitFor({ state: 'detached' });
      }
      await page.context().close();
    });

  // The add dialogs of the accounts pages, the role's action group areas and the system
  // permission's included: Chinese, with no English left.
  const accounts = [
    { path: '/admin/users', button: '新建用户', dialog: '新建用户' },
    { path: '/admin/groups', button: '新建组', dialog: '新建组' },
    { path: '/admin/roles', button: '新建角色', dialog: '新建角色' },
    { path: '/admin/permissions', button: '添加权限', dialog: /添加权限$/ },
  ];
  for (const a of accounts)
    it(`shows ${a.path}'s add dialog in Chinese`, async () => {
      const page = await zhPage();
      await page.goto(`${server.origin}${a.path}`);
      await page.getByRole('button', { name: a.button, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: a.dialog });
      await dialog.getByRole('button', { name: '取消' }).waitFor();
      // Grant waits for its dry run, asked once a user and a role are chosen.
      for (const select of await dialog.locator('select[name="principal"], select[name="role"]').all())
        await select.selectOption({ index: 1 });
      expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
      await page.context().close();
    });

  it("shows the Templates page, its Import dialog's preview and a template's page and dialogs in Chinese", async () => {
    const page = await zhPage();
    await page.goto(`${server.origin}/templates`);
    await page.getByRole('heading', { name: '模板', exact: true }).waitFor();
    await page.getByRole('table', { name: '模板' }).getByRole('link', { name: 'lang-tpl', exact: true }).waitFor();
    expect(await settledEnglishLeft(page)).toEqual([]);

    // Import template with the template's own descriptor: the preview (refused: it exists) is Chinese.
    await page.getByRole('button', { name: '导入模板' }).click();
    const importing = page.getByRole('dialog', { name: '导入模板' });
    await importing.getByRole('button', { name: '预览' }).waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    const ovf = { name: 'lang-tpl.ovf', mimeType: 'application/xml', buffer: Buffer.from(templateOvf) };
    await importing.locator('input[type=file]').setInputFiles(ovf);
    await importing.getByLabel('集群 *').selectOption(clusterGid);
    await expect.poll(() => importing.getByLabel('存储域 *').inputValue()).toBe(inv.storage.id);
    await importing.getByRole('button', { name: '预览' }).click();
    const preview = importing.getByTestId('import-preview');
    await preview.getByRole('heading', { name: '此次导入将创建的模板' }).waitFor();
    await preview.getByRole('table', { name: '要导入的磁盘' }).getByRole('columnheader', { name: '别名' }).waitFor();
    await importing.getByTestId('import-refused').getByText('导入将被拒绝：').waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-template-import.png'), fullPage: true });
    await importing.getByRole('button', { name: '取消' }).click();
    await importing.waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'lang-tpl', exact: true }).click();
    await page.getByRole('heading', { name: 'lang-tpl' }).waitFor();
    await page.getByText('1 个虚拟 CPU（1 个插槽 × 1 个核心 × 1 个线程）').waitFor();
    const disks = page.getByRole('region', { name: '模板磁盘' });
    await disks.getByRole('columnheader', { name: '实际大小' }).waitFor();
    await disks.getByRole('cell', { name: /^(COW|RAW) · (精简置备|预分配)$/ }).waitFor();
    await page.getByRole('region', { name: '基于此模板的虚拟机' }).getByText('没有基于此模板创建的虚拟机。').waitFor();
    await page.getByRole('button', { name: '下载 OVA' }).waitFor();
    expect(await settledEnglishLeft(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-template.png'), fullPage: true });

    await page.getByRole('button', { name: '新建虚拟机' }).click();
    const newVm = page.getByRole('dialog', { name: '基于 lang-tpl 新建虚拟机' });
    await newVm.getByLabel('名称 *').fill('lang-vm-2');
    await newVm.getByLabel('名称 *').press('Tab');
    await newVm.getByLabel('克隆：完整的独立副本').check();
    await newVm.getByText('克隆磁盘的存放位置').waitFor();
    await newVm.getByRole('button', { name: '创建虚拟机' }).waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await newVm.getByRole('button', { name: '取消' }).click();
    await newVm.waitFor({ state: 'detached' });

    // The OVF descriptor is the engine's XML; its dialog around it is Chinese.
    await page.getByRole('button', { name: '显示 OVF' }).click();
    const shown = page.getByRole('dialog', { name: 'OVF 描述符' });
    await shown.getByLabel('OVF 描述符').waitFor();
    await shown.getByRole('button', { name: '复制' }).waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await shown.getByRole('button', { name: '关闭', exact: true }).last().click();
    await shown.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it("shows a VM's Make template dialog in Chinese", async () => {
    const page = await zhPage();
    await page.goto(`${server.origin}/vms/${tplVm.id}`);
    await page.getByRole('button', { name: '创建模板' }).click();
    const dialog = page.getByRole('dialog', { name: '由 lang-tpl-vm 创建模板' });
    await dialog.getByText('磁盘存放位置').waitFor();
    await dialog.getByRole('option', { name: '与虚拟机的磁盘放在一起' }).waitFor({ state: 'attached' });
    await dialog.getByRole('button', { name: '创建模板' }).waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it("shows a VM's Snapshots and Disks panels and the Create snapshot dialog in Chinese", async () => {
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'lang-vm-3',
        cluster: clusterGid,
        disks: [{ alias: 'lang-vm-3-os', storageDomain: inv.storage.id, provisionedSizeBytes: GiB, bootable: true }],
      },
      'vm',
    );
    await mutate(t, 'createSnapshot', { vm: vm.id, description: 'lang-1' }, 'snapshot');
    await until('snapshot lang-1 to be OK', async () =>
      (
        (await t.gql(`{ node(id: "${vm.id}") { ... on Vm { snapshots { type status } } } }`)).data.node.snapshots as {
          type: string;
          status: string;
        }[]
      ).some((s) => s.type === 'REGULAR' && s.status === 'OK'),
    );
    const page = await zhPage();
    await page.goto(`${server.origin}/vms/${vm.id}`);
    await page.getByRole('heading', { name: 'lang-vm-3' }).waitFor();
    const snapshots = page.getByRole('region', { name: '快照', exact: true });
    await snapshots.getByRole('table', { name: '快照' }).getByRole('cell', { name: '当前状态', exact: true }).waitFor();
    await snapshots.getByRole('radio', { name: '选择快照 lang-1' }).waitFor();
    await snapshots.getByText('当前状态基于此快照').waitFor();
    const disks = page.getByRole('region', { name: '磁盘', exact: true });
    await disks.getByRole('table', { name: '磁盘' }).getByRole('columnheader', { name: '可启动' }).waitFor();
    await disks.getByRole('cell', { name: /^(COW|RAW) · (精简|预分配)$/ }).waitFor();
    await disks.getByRole('button', { name: '调整大小' }).waitFor();
    // The disk's interface (VIRTIO_SCSI) is the engine's enum value, shown as it is.
    await page.waitForFunction(() => !document.querySelector('[data-pending], [aria-busy="true"]'));
    for (const root of ['[data-testid="snapshots"]', '[data-testid="disks"]'])
      expect(await englishLeft(page, root, [...reported, 'SCSI'], true)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-vm-parts.png'), fullPage: true });

    await snapshots.getByRole('button', { name: '创建', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '创建快照' });
    await dialog.getByLabel('包含内存').waitFor();
    await dialog.getByText('虚拟机已关闭：没有可保存的内存。').waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('shows the dashboard in Chinese: cards, panels, the live charts and the latest events', async () => {
    const page = await zhPage();
    await page.goto(`${server.origin}/`);
    await page.getByRole('heading', { name: '仪表板' }).waitFor();
    await page.getByTestId('count-hosts').getByText('1 运行中').waitFor();
    await page.getByText('数据域，已用 / 容量').waitFor();
    const stats = page.getByRole('region', { name: '系统统计' });
    await stats.getByRole('heading', { name: '所有主机（实时）' }).waitFor();
    await expect.poll(() => stats.getByTestId('hosts-reporting').textContent(), { timeout: 10_000 }).toBe('1 台主机正在报告');
    await page.getByRole('heading', { name: '最新事件' }).waitFor();
    await page.getByRole('table', { name: '事件' }).getByRole('row').nth(1).waitFor();
    expect(await settledEnglishLeft(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-dashboard.png'), fullPage: true });
    await page.context().close();
  });

  it("shows a running VM's CD-ROM panel, console and its Migrate and Shutdown dialogs in Chinese", async () => {
    host2 = await addSimulatedHost(t, `${server.origin}/graphql`, clusterGid, 'lang-host2', { bootMs: 300 });
    await hostsUp(t, [host2]);
    const running = await mutate(t, 'addVm', { name: 'lang-vm3', cluster: clusterGid, memoryMb: 512 }, 'vm');
    await runVmUp(t, running.id, decodeGlobalID(host.gid).id);
    const page = await zhPage();
    await page.goto(`${server.origin}/vms/${running.id}`);
    const cdrom = page.getByRole('region', { name: '光驱和启动顺序' });
    await cdrom.getByRole('option', { name: '磁盘，然后网络' }).waitFor({ state: 'attached' });
    await cdrom.getByText('此数据中心没有 ISO 映像').waitFor();
    // The upload's path (PUT /iso-images/…), the console file's extension and WebSocket are written as they are.
    reported.push('PUT', 'iso', 'images', 'vv', 'WebSocket');
    expect(await settledEnglishLeft(page, 'section[aria-labelledby="vm-cdrom-title"]')).toEqual([]);
    const consoleInfo = page.getByTestId('console');
    await consoleInfo.getByRole('button', { name: '下载控制台文件（.vv）' }).waitFor();
    expect(await settledEnglishLeft(page, '[data-testid="console"]')).toEqual([]);

    await page.getByRole('button', { name: '迁移', exact: true }).click();
    const migrate = page.getByRole('dialog', { name: '迁移 lang-vm3' });
    await migrate.getByText('从 lang-host 迁移到其集群的另一台主机。').waitFor();
    await migrate.getByRole('option', { name: '由调度程序选择' }).waitFor({ state: 'attached' });
    await migrate.getByRole('option', { name: 'lang-host2' }).waitFor({ state: 'attached' });
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await migrate.getByRole('button', { name: '取消' }).click();
    await migrate.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: '关机', exact: true }).click();
    const shutdown = page.getByRole('dialog', { name: '关闭 lang-vm3' });
    await shutdown.getByText('客户机未按时停止则断电').waitFor();
    expect(await settledEnglishLeft(page, 'dialog[open]')).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-vm-shutdown.png'), fullPage: true });
    await shutdown.getByRole('button', { name: '取消' }).click();
    await shutdown.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it("shows the user portal's cards and its New VM dialog in Chinese", async () => {
    const page = await zhPage();
    await page.goto(`${server.origin}/portal/`);
    await page.getByRole('heading', { name: '我的虚拟机' }).waitFor();
    await page.locator('article.vm-card').first().waitFor();
    await page
      .getByTestId('total')
      .getByText(/^\d+ 台虚拟机$/)
      .waitFor();
    // The cards' toolbar (a card's parts have their own cases); the cards' dry runs wait for a hover.
    expect(await englishLeft(page, 'main .toolbar', reported, true)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'language-zh-portal.png'), fullPage: true });

    await page.getByRole('button', { name: '新建虚拟机' }).click();
    const dialog = page.getByRole('dialog', { name: '新建虚拟机' });
    await dialog.getByRole('option', { name: '选择一个模板' }).waitFor({ state: 'attached' });
    await dialog.getByRole('option', { name: 'lang-tpl' }).waitFor({ state: 'attached' });
    await dialog.getByLabel('名称 *').fill('lang-vm4');
    await dialog.getByLabel('模板 *').selectOption({ label: 'lang-tpl' });
    await dialog.getByRole('button', { name: '创建虚拟机' }).waitFor();
    // The cards' dry runs behind it wait for a hover: the dialog's words are polled, not settled.
    await expect.poll(() => englishLeft(page, 'dialog[open]', reported, true), { timeout: 10_000 }).toEqual([]);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  });
});
