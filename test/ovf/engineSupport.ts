// GraphQL helpers of the engine-level OVF tests.
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { TestEngine } from '../support/testEngine.ts';

export const IMPORT = `mutation($i: ImportVmInput!) { importVm(input: $i) { __typename
  ... on Error { code message } ... on ValidationError { reasons { code message } }
  ... on MutationImportVmSuccess { imported { vm { id name } warnings { code message } } } } }`;

export const IMPORT_TEMPLATE = `mutation($i: ImportTemplateInput!) { importTemplate(input: $i) { __typename
  ... on Error { code message } ... on ValidationError { reasons { code message } }
  ... on MutationImportTemplateSuccess { imported { template { id name } warnings { code message } } } } }`;

export const PREVIEW = `query($i: ImportVmInput!) { ovfImportPreview(input: $i) { allowed reasons { code message } warnings { code message }
  vm { producer kind id name description osType cpuSockets cpuCores cpuThreads memoryMb displayType sourceIdentity
    disks { sourceId id alias provisionedSizeBytes actualSizeBytes format sparse bootable interface storageDomain { name } }
    nics { name sourceNetwork network { name } interface macAddress plugged } } } }`;

export const VM = `query($id: ID!) { node(id: $id) { ... on Vm { id name description status osType cpuSockets cpuCores cpuThreads vcpus memoryMb guaranteedMemoryMb
  displayType template { name } cluster { name } nics { id name macAddress interface linked plugged network { name } }
  diskAttachments { bootable interface active disk { id alias description provisionedSizeBytes actualSizeBytes format sparse shareable storageDomain { name } } } } } }`;

/** The success payload of importVm, failing the test on any error member. */
export async function importOk(
  t: TestEngine,
  input: Record<string, unknown>,
): Promise<{ vm: { id: string; name: string }; warnings: { code: string; message: string }[] }> {
  const res = await t.gql(IMPORT, { i: input });
  const payload = res.data?.importVm;
  if (payload?.__typename !== 'MutationImportVmSuccess') throw new Error(`importVm failed: ${JSON.stringify(res)}`);
  return payload.imported;
}

export async function vmNode(t: TestEngine, id: string) {
  const res = await t.gql(VM, { id });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node;
}

export const uuidOf = (globalId: string) => decodeGlobalID(globalId).id;

/** Row counts of everything an import creates, and the storage domains' used space. */
export async function snapshotCounts(t: TestEngine) {
  const db = t.engine.db;
  const used = await db.storageDomain.findMany({ select: { name: true, usedBytes: true }, orderBy: { name: 'asc' } });
  return {
    vms: await db.vm.count(),
    disks: await db.disk.count(),
    attachments: await db.diskAttachment.count(),
    nics: await db.vmNic.count(),
    used: used.map((u) => `${u.name}=${u.usedBytes}`).join(','),
  };
}

/** POSTs a GraphQL multipart request (one file, variable path `variables.i.ova`) as the admin. */
export async function gqlUpload(t: TestEngine, query: string, input: Record<string, unknown>, file: Buffer, fileName = 'vm.ova') {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { i: { ...input, ova: null } } }));
  form.set('map', JSON.stringify({ 0: ['variables.i.ova'] }));
  form.set('0', new File([new Uint8Array(file)], fileName, { type: 'application/x-tar' }));
  const res = await t.yoga.fetch('http://vireo.test/graphql', {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${t.adminToken}`, accept: 'application/graphql-response+json' },
  });
  return res.json();
}
