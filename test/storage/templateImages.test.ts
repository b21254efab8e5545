// Templates hold real base images and VMs made from them are real: data written with qemu-io into a
// stopped VM's disk (under a snapshot, so the template collapses a chain) is read back from the
// template's base image, from a thin VM (a qcow2 overlay on that base) and from a clone (a standalone
// copy on another domain); what the thin VM writes stays in its overlay. Real POSIX domains, a
// simulated host whose agent uses the real file storage and qemu-img, everything through the API.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { TestEngine } from '../support/testEngine.ts';
import { GiB, mutate } from '../support/inventory.ts';
import { startPosixStorage, type PosixDomain, type PosixStorage } from '../support/posixStorage.ts';
import { backingChain, holdsMarker, writeMarker } from '../support/imageData.ts';

const MiB = 1024 ** 2;
let storage: PosixStorage;
let t: TestEngine;
let inv: PosixStorage['inv'];
let dataA: PosixDomain;
let dataB: PosixDomain;

beforeAll(async () => {
  storage = await startPosixStorage('I', 'image-host');
  ({ t, inv } = storage);
  dataA = await storage.addDomain('I-posix-a');
  dataB = await storage.addDomain('I-posix-b');
});
afterAll(() => storage?.close());

const imageOf = (domain: PosixDomain, diskId: string) => storage.imageOf(domain, diskId);
const write = writeMarker;
const holds = holdsMarker;
const chain = backingChain;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const call = async (name: string, input: Record<string, unknown>, field?: string) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const res = await t.gql(
    `mutation($i: ${type}Input!) { ${name}(input: $i) { __typename ... on Error { code message } ${field ? `... on Mutation${type}Success { ${field} { id } }` : ''} } }`,
    { i: input },
  );
  return res.data[name];
};
const vmDisks = async (vm: string) =>
  (
    await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id actualSizeBytes storageDomain { name } } } } } }`,
      { id: vm },
    )
  ).data.node.diskAttachments.map((a: { disk: { id: string; actualSizeBytes: number; storageDomain: { name: string } } }) => ({
    id: decodeGlobalID(a.disk.id).id,
    actualSizeBytes: a.disk.actualSizeBytes,
    domain: a.disk.storageDomain.name,
  })) as { id: string; actualSizeBytes: number; domain: string }[];
/** What an image file takes on its domain's file system. */
const allocated = (file: string) => statSync(file).blocks * 512;

describe('template base images, thin VMs and clones', () => {
  let source: string;
  let template: string;
  let base: string;
  let thin: string;
  let clone: string;

  it('a template from a Down VM holds its disk chain collapsed into one base image, made as a Job', async () => {
    source = (
      await mutate(
        t,
        'addVm',
        {
          name: 'golden',
          cluster: inv.cluster.id,
          disks: [{ alias: 'golden-os', storageDomain: dataA.gid, provisionedSizeBytes: GiB, bootable: true }],
        },
        'vm',
      )
    ).id;
    const [disk] = await vmDisks(source);
    write(imageOf(dataA, disk!.id), 0xaa, 0);
    expect((await call('createSnapshot', { vm: source, description: 'sealed' }, 'snapshot')).__typename).toBe(
      'MutationCreateSnapshotSuccess',
    );
    write(imageOf(dataA, disk!.id), 0xbb, MiB); // above the snapshot: the template must collapse the chain
    expect(chain(imageOf(dataA, disk!.id))).toHaveLength(2);

    const made = await call('addTemplate', { vm: source, name: 'golden-tpl' }, 'template');
    expect(made.__typename, JSON.stringify(made)).toBe('MutationAddTemplateSuccess');
    template = made.template.id;
    const disks = (
      await t.gql(`query($id: ID!) { node(id: $id) { ... on Template { status disks { id actualSizeBytes } } } }`, { id: template })
    ).data.node;
    expect(disks.status).toBe('OK');
    base = imageOf(dataA, decodeGlobalID(disks.disks[0].id).id);
    // Its size is what the base image takes, as the SPM measured it, not an estimate.
    expect(disks.disks[0].actualSizeBytes).toBe(allocated(base));
    expect(chain(base)).toEqual([base]); // standalone
    expect(holds(base, 0xaa, 0)).toBe(true);
    expect(holds(base, 0xbb, MiB)).toBe(true);
    const jobs = (
      await t.gql(`{ jobs(first: 10, status: [FINISHED]) { edges { node { actionType description steps { progress status } } } } }`)
    ).data.jobs.edges.map((e: { node: unknown }) => e.node);
    expect(jobs).toContainEqual({
      actionType: 'AddVmTemplate',
      description: 'Creating Template golden-tpl from VM golden',
      steps: [{ progress: 100, status: 'FINISHED' }],
    });
  });

  it('a thin VM is a qcow2 overlay on the base image: it reads the marker, and its writes leave the base unchanged', async () => {
    const t0 = performance.now();
    const made = await call('addVmFromTemplate', { template, cluster: inv.cluster.id, name: 'thin1' }, 'vm');
    console.log(`thin VM from the template: ${Math.round(performance.now() - t0)} ms`);
    expect(made.__typename, JSON.stringify(made)).toBe('MutationAddVmFromTemplateSuccess');
    thin = made.vm.id;
    const [disk] = await vmDisks(thin);
    const top = imageOf(dataA, disk!.id);
    expect(chain(top)).toEqual([top, base]);
    expect(holds(top, 0xaa, 0)).toBe(true);
    expect(holds(top, 0xbb, MiB)).toBe(true);
    const before = sha256(base);
    write(top, 0xcc, 0);
    expect(holds(top, 0xcc, 0)).toBe(true);
    expect(holds(base, 0xaa, 0)).toBe(true);
    expect(sha256(base)).toBe(before);
  });

  it('a clone is a standalone copy of the base image on the domain asked for', async () => {
    const made = await call(
      'addVmFromTemplate',
      { template, cluster: inv.cluster.id, name: 'clone1', clone: true, storageDomain: dataB.gid },
      'vm',
    );
    expect(made.__typename, JSON.stringify(made)).toBe('MutationAddVmFromTemplateSuccess');
    clone = made.vm.id;
    const [disk] = await vmDisks(clone);
    expect(disk!.domain).toBe('I-posix-b');
    const image = imageOf(dataB, disk!.id);
    expect(chain(image)).toEqual([image]);
    expect(disk!.actualSizeBytes).toBe(allocated(image));
    expect(holds(image, 0xaa, 0)).toBe(true);
    expect(holds(image, 0xbb, MiB)).toBe(true);
    write(image, 0xdd, 0);
    expect(holds(base, 0xaa, 0)).toBe(true);
  });

  it('a template whose image backs a thin VM is not removed; once free, its base image goes with it', async () => {
    const refused = await call('removeTemplate', { id: template });
    expect(refused).toMatchObject({ __typename: 'ValidationError', code: 'TEMPLATE_IN_USE', message: expect.stringContaining('thin1') });
    expect(existsSync(base)).toBe(true);
    for (const vm of [thin, clone]) expect((await call('removeVm', { id: vm })).__typename).toBe('MutationRemoveVmSuccess');
    expect((await call('removeTemplate', { id: template })).__typename).toBe('MutationRemoveTemplateSuccess');
    expect(existsSync(base)).toBe(false);
    expect(existsSync(path.dirname(base))).toBe(false);
  });
});
