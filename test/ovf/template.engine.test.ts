// Templates through OVF and OVA against a real engine: a template exports as oVirt writes one
// (TemplateId = its own id) and importTemplate brings it back as a template, field by field; the
// oVirt engine descriptor of shared/fixtures/ovf, made a template, imports as one; a VM made from a
// template carries it both ways; empty images in an OVA export are in the event log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { readOva, readOvf } from '../../server/ovf/index.ts';
import { handleOvaRequest } from '../../server/http/ova.ts';
import { IMPORT, IMPORT_TEMPLATE, gqlUpload, importOk, snapshotCounts, uuidOf, vmNode } from './engineSupport.ts';
import { OVIRT_VM_ID, ovirtTemplateDescriptor, shared } from './descriptors.ts';
import { streamOf } from './packages.ts';

const PREVIEW_TEMPLATE = `query($i: ImportTemplateInput!) { ovfTemplateImportPreview(input: $i) { allowed reasons { code message } warnings { code message }
  vm { kind id name displayType templateVersion sourceIdentity } } }`;
const TEMPLATE = `query($id: ID!) { node(id: $id) { ... on Template { id name description status osType cpuSockets cpuCores cpuThreads memoryMb
  guaranteedMemoryMb highlyAvailable stateless displayType version cluster { name } nics { name interface network { name } }
  disks { id alias description provisionedSizeBytes actualSizeBytes format sparse shareable storageDomain { name } } } } }`;

let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
let template: { id: string };

async function templateNode(id: string) {
  const res = await t.gql(TEMPLATE, { id });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  const node = res.data.node;
  node.disks.sort((a: any, b: any) => a.alias.localeCompare(b.alias));
  return node;
}

async function importTemplateOk(input: Record<string, unknown>) {
  const res = await t.gql(IMPORT_TEMPLATE, { i: input });
  if (res.data?.importTemplate?.__typename !== 'MutationImportTemplateSuccess')
    throw new Error(`importTemplate failed: ${JSON.stringify(res)}`);
  return res.data.importTemplate.imported as { template: { id: string; name: string }; warnings: { code: string; message: string }[] };
}

async function download(kind: 'vm' | 'template', id: string) {
  return (await handleOvaRequest(
    t.engine,
    new Request(`http://vireo.test/ova/${kind}/${id}`, { headers: { authorization: `Bearer ${t.adminToken}` } }),
  ))!;
}

const mappings = () => ({
  cluster: inv.cluster.id,
  storageDomain: inv.storage.id,
  networks: [{ source: 'P-vmnet', network: inv.vmNet.id }],
});

beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'P');
  storageHost = await startStorageHost(t, inv.cluster.id); // the data center's image work
  const vm = await mutate(
    t,
    'addVm',
    {
      name: 'base01',
      cluster: inv.cluster.id,
      description: 'golden image',
      osType: 'rhel_9x64',
      cpuSockets: 2,
      cpuCores: 2,
      cpuThreads: 1,
      memoryMb: 4096,
      guaranteedMemoryMb: 2048,
      highlyAvailable: true,
      stateless: true,
      displayType: 'SPICE',
      nics: [
        { name: 'eth0', network: inv.vmNet.id, interface: 'VIRTIO' },
        { name: 'eth1', interface: 'E1000' },
      ],
      disks: [{ alias: 'base01_os', storageDomain: inv.storage.id, provisionedSizeBytes: 10 * GiB, bootable: true }],
    },
    'vm',
  );
  await mutate(
    t,
    'addDisk',
    { alias: 'base01_swap', storageDomain: inv.storage.id, provisionedSizeBytes: GiB, format: 'RAW', sparse: false, vm: vm.id },
    'disk',
  );
  template = await mutate(t, 'addTemplate', { vm: vm.id, name: 'base-tpl', description: 'RHEL 9 base' }, 'template');
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

describe('template export', () => {
  it('templateOvf is what oVirt writes for a template (TemplateId = its own id) and reads back as a template', async () => {
    const xml: string = (await t.gql(`query($id: ID!) { templateOvf(id: $id) }`, { id: template.id })).data.templateOvf;
    const id = uuidOf(template.id);
    expect(xml).toContain(`<TemplateId>${id}</TemplateId>`);
    expect(xml).toContain(`<Section ovf:id="${id}" ovf:required="false" xsi:type="ovf:OperatingSystemSection_Type">`);
    expect(xml).toContain('<TemplateType>TEMPLATE</TemplateType>');
    expect(xml).toContain('<IsDisabled>false</IsDisabled>');
    expect(xml).toContain('<default_display_type>1</default_display_type>'); // SPICE: qxl
    expect(readOvf(xml)).toMatchObject({ kind: 'template', id, name: 'base-tpl', displayType: 'SPICE', templateVersion: 1, warnings: [] });
  });
});

describe('template round trip', () => {
  it('OVF → remove → importTemplate: the same template, field by field (ids included)', async () => {
    const before = await templateNode(template.id);
    const ovf = (await t.gql(`query($id: ID!) { templateOvf(id: $id) }`, { id: template.id })).data.templateOvf;
    await mutate(t, 'removeTemplate', { id: template.id }, 'removed');
    const preview = (await t.gql(PREVIEW_TEMPLATE, { i: { ...mappings(), ovf } })).data.ovfTemplateImportPreview;
    expect(preview).toMatchObject({
      allowed: true,
      vm: { kind: 'TEMPLATE', id: uuidOf(template.id), name: 'base-tpl', displayType: 'SPICE', templateVersion: 1, sourceIdentity: null },
    });
    const { template: imported, warnings } = await importTemplateOk({ ...mappings(), ovf });
    expect(imported.id).toBe(template.id);
    expect(await templateNode(imported.id)).toEqual(before);
    expect(before).toMatchObject({
      displayType: 'SPICE',
      guaranteedMemoryMb: 2048,
      highlyAvailable: true,
      stateless: true,
      nics: [
        { name: 'eth0', network: { name: 'P-vmnet' } },
        { name: 'eth1', network: null },
      ],
    });
    // Template disks are metadata only, in Vireo as before the export: that is the only thing said.
    expect(warnings.map((w) => w.code)).toEqual(['DISK_DATA_NOT_IMPORTED', 'DISK_DATA_NOT_IMPORTED']);
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'IMPORTEXPORT_IMPORT_TEMPLATE' } });
    expect(event.message).toBe('Template base-tpl was imported from an OVF by admin@internal (2 warnings).');
  });

  it('OVA download → importTemplate upload as a clone: equal but for ids and name; the export says in the event log that its images are empty', async () => {
    const before = await templateNode(template.id);
    const res = await download('template', template.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vireo-export-warnings')).toContain('has no image file');
    const ova = Buffer.from(await res.arrayBuffer());
    const warning = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'IMPORTEXPORT_EXPORT_VM_DISKS_EMPTY' } });
    expect(warning.severity).toBe('WARNING');
    expect(warning.templateId).toBe(uuidOf(template.id));
    expect(warning.message).toMatch(
      /^The OVA of Template base-tpl holds empty images for 2 disk\(s\): Disk base01_os: it has no image file on its storage domain/,
    );
    expect((await readOva(streamOf(ova))).vm.kind).toBe('template');

    const up = await gqlUpload(t, IMPORT_TEMPLATE, { ...mappings(), clone: true, name: 'base-tpl-copy' }, ova);
    expect(up.data.importTemplate.__typename).toBe('MutationImportTemplateSuccess');
    const after = await templateNode(up.data.importTemplate.imported.template.id);
    const strip = (v: any) => ({ ...v, id: undefined, name: undefined, disks: v.disks.map((d: any) => ({ ...d, id: undefined })) });
    expect(after.name).toBe('base-tpl-copy');
    expect(after.id).not.toBe(before.id);
    expect(strip(after)).toEqual(strip(before));
    expect(
      up.data.importTemplate.imported.warnings
        .filter((w: any) => w.code === 'DISK_DATA_NOT_IMPORTED')
        .map((w: any) => w.message)
        .join(' '),
    ).toMatch(/template disks are metadata only in Vireo; the image \S+ in the package is not imported/);
  });

  it('a second import of the same template is refused unless cloned; nothing is created', async () => {
    const before = await snapshotCounts(t);
    const ovf = (await t.gql(`query($id: ID!) { templateOvf(id: $id) }`, { id: template.id })).data.templateOvf;
    const res = await t.gql(IMPORT_TEMPLATE, { i: { ...mappings(), ovf, name: 'another-name' } });
    expect(res.data.importTemplate).toMatchObject({ __typename: 'ValidationError', code: 'TEMPLATE_ALREADY_EXISTS' });
    expect(await snapshotCounts(t)).toEqual(before);
  });
});

describe('oVirt templates and VMs', () => {
  it('an oVirt template descriptor imports as a template (as oVirt does), not as a VM', async () => {
    const ovf = ovirtTemplateDescriptor();
    const asVm = await t.gql(IMPORT, { i: { ovf, cluster: inv.cluster.id, storageDomain: inv.storage.id } });
    expect(asVm.data.importVm).toMatchObject({ __typename: 'ValidationError', code: 'OVF_IS_TEMPLATE' });
    expect(asVm.data.importVm.message).toContain('importTemplate');

    const { template: imported, warnings } = await importTemplateOk({ ovf, cluster: inv.cluster.id, storageDomain: inv.storage.id });
    expect(uuidOf(imported.id)).toBe(OVIRT_VM_ID);
    expect(await templateNode(imported.id)).toMatchObject({
      name: 'exporttedVM',
      description: 'fsdf',
      status: 'OK',
      osType: 'other',
      cpuSockets: 1,
      cpuCores: 1,
      cpuThreads: 1,
      memoryMb: 1024,
      guaranteedMemoryMb: 1024,
      displayType: 'SPICE',
      version: 1,
      cluster: { name: 'P-cluster' },
      nics: [],
      disks: [{ alias: 'exporttedVM_Disk1', provisionedSizeBytes: GiB, format: 'RAW', sparse: true, storageDomain: { name: 'P-data' } }],
    });
    const codes = warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['LUN_NOT_IMPORTED', 'SNAPSHOTS_NOT_IMPORTED', 'DISK_DATA_NOT_IMPORTED', 'DIRECT_LUN']));
    // The disk's VirtIO bus cannot be kept on a template disk: said, not dropped.
    expect(warnings).toContainEqual({
      code: 'IGNORED_VALUE',
      message: 'Disk exporttedVM_Disk1 is on VIRTIO; template disks keep no bus, and VMs made from the template attach it as VIRTIO_SCSI.',
    });
  });

  it('importTemplate refuses a VM descriptor', async () => {
    const res = await t.gql(IMPORT_TEMPLATE, {
      i: { ovf: shared('vmware_govmomi_xp-multinic.ovf'), cluster: inv.cluster.id, storageDomain: inv.storage.id },
    });
    expect(res.data.importTemplate).toMatchObject({ __typename: 'ValidationError', code: 'OVF_NOT_A_TEMPLATE' });
  });

  it('a VM made from a template exports TemplateId/TemplateName and imports linked to it (or says it cannot be)', async () => {
    const vm = await mutate(t, 'addVmFromTemplate', { template: template.id, cluster: inv.cluster.id, name: 'from-tpl' }, 'vm');
    const ovf: string = (await t.gql(`query($id: ID!) { vmOvf(id: $id) }`, { id: vm.id })).data.vmOvf;
    expect(ovf).toContain(`<TemplateId>${uuidOf(template.id)}</TemplateId>`);
    expect(ovf).toContain('<TemplateName>base-tpl</TemplateName>');
    expect(ovf).toContain('<DefaultDisplayType>1</DefaultDisplayType>');
    const { vm: copy, warnings } = await importOk(t, { ...mappings(), ovf, clone: true, name: 'from-tpl-copy' });
    expect(await vmNode(t, copy.id)).toMatchObject({ name: 'from-tpl-copy', displayType: 'SPICE', template: { name: 'base-tpl' } });
    expect(warnings.map((w) => w.code)).not.toContain('TEMPLATE_NOT_FOUND');
    const elsewhere = ovf.replace(
      `<TemplateId>${uuidOf(template.id)}</TemplateId>`,
      '<TemplateId>0badc0de-0000-4000-8000-000000000000</TemplateId>',
    );
    const orphan = await importOk(t, { ...mappings(), ovf: elsewhere, clone: true, name: 'from-tpl-orphan' });
    expect(await vmNode(t, orphan.vm.id)).toMatchObject({ template: null });
    expect(orphan.warnings).toContainEqual({
      code: 'TEMPLATE_NOT_FOUND',
      message:
        'The VM was made from template base-tpl (0badc0de-0000-4000-8000-000000000000), which this engine does not have; it is imported as an independent VM.',
    });
    // Its thin disks have no image of their own: the OVA export says so in the event log too.
    const before = await t.engine.db.auditLog.count({ where: { code: 'IMPORTEXPORT_EXPORT_VM_DISKS_EMPTY' } });
    await (await download('vm', vm.id)).arrayBuffer();
    const event = await t.engine.db.auditLog.findFirstOrThrow({
      where: { code: 'IMPORTEXPORT_EXPORT_VM_DISKS_EMPTY' },
      orderBy: { createdAt: 'desc' },
    });
    expect(await t.engine.db.auditLog.count({ where: { code: 'IMPORTEXPORT_EXPORT_VM_DISKS_EMPTY' } })).toBe(before + 1);
    expect(event).toMatchObject({ severity: 'WARNING', vmId: uuidOf(vm.id) });
    expect(event.message).toMatch(/^The OVA of VM from-tpl holds empty images for 2 disk\(s\)/);
  });
});
