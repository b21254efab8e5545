// The tiny guest run through the API on a libvirt host, as the live storage tests use it: a VM with
// one 64 MiB COW disk, Up once its init has mounted /data, and what a test reads of it (files in the
// guest, the disk image libvirt runs and its backing chain).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import { mutate } from './inventory.ts';
import { guestExec, type Guest } from './libvirt.ts';
import type { LibvirtHost } from './libvirtHost.ts';
import type { TestEngine } from './testEngine.ts';

const run = promisify(execFile);
const MiB = 1024 ** 2;

/** GraphQL through the test engine: a query's data (errors throw), a mutation's payload (its type and error). */
export function gqlOf(t: TestEngine) {
  async function query<T = any>(q: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await t.gql(q, variables);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as T;
  }
  async function act(name: string, input: Record<string, unknown>) {
    const Input = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
    const data = await query(`mutation($input: ${Input}!) { ${name}(input: $input) { __typename ... on Error { code message } } }`, {
      input,
    });
    return data[name] as { __typename: string; code?: string; message?: string };
  }
  return { query, act };
}

export interface TinyGuest {
  vmGid: string;
  status(): Promise<string>;
  /** Runs a shell script in the guest (it must succeed); answers its output. */
  inGuest(script: string): Promise<string>;
  /** What the guest reads of its markers (/data/m*), its page cache dropped first. */
  marks(): Promise<string>;
  virsh(...args: string[]): Promise<string>;
  /** The file the domain writes to on vda, as libvirt says (domblklist). */
  source(): Promise<string>;
  /** The files of the chain under the running file, top first (qemu-img reading the headers of the image in use). */
  chain(): Promise<string[]>;
}

/** Adds the VM `name` with its disk on `storageDomainGid`, runs it on the host from the guest's kernel and waits for /data. */
export async function runTinyGuest(
  t: TestEngine,
  host: LibvirtHost,
  guest: Guest,
  o: { name: string; hostname: string; clusterGid: string; storageDomainGid: string; diskAlias: string },
): Promise<TinyGuest> {
  const { query, act } = gqlOf(t);
  const disk = {
    alias: o.diskAlias,
    storageDomain: o.storageDomainGid,
    provisionedSizeBytes: 64 * MiB,
    format: 'COW',
    interface: 'VIRTIO',
    bootable: true,
  };
  const vm = await mutate(
    t,
    'addVm',
    { name: o.name, cluster: o.clusterGid, memoryMb: 128, cpuCores: 1, osType: 'other_linux', disks: [disk] },
    'vm',
  );
  const virsh = async (...args: string[]) => (await run('virsh', ['-c', host.lv.uri, ...args])).stdout;
  const source = async () => /\bvda\s+(\S+)/.exec(await virsh('domblklist', o.name))![1]!;
  const inGuest = async (script: string) => {
    const r = await guestExec(host.lv.uri, o.name, '/bin/sh', ['-c', script]);
    expect(r.exitcode, r.out).toBe(0);
    return r.out.trim();
  };
  const g: TinyGuest = {
    vmGid: vm.id,
    status: async () => (await query(`query($id: ID!) { node(id: $id) { ... on Vm { status } } }`, { id: vm.id })).node.status,
    inGuest,
    marks: () => inGuest('sync; echo 3 > /proc/sys/vm/drop_caches; cat /data/m*'),
    virsh,
    source,
    async chain() {
      const top = await source();
      const infos = JSON.parse((await run('qemu-img', ['info', '-U', '--backing-chain', '--output=json', top])).stdout) as {
        filename: string;
      }[];
      return infos.map((i) => path.resolve(path.dirname(top), i.filename));
    },
  };
  const r = await act('runVm', {
    id: vm.id,
    host: host.hostGid,
    runOnce: { kernelPath: guest.kernel, initrdPath: guest.initrd, kernelParams: `console=ttyS0 quiet mitigations=off hn=${o.hostname}` },
  });
  expect(r.__typename, JSON.stringify(r)).toBe('MutationRunVmSuccess');
  await vi.waitFor(async () => expect(await g.status()).toBe('UP'), { timeout: 120_000, interval: 200 });
  // The guest agent answers once the guest's init has mounted /data.
  await vi.waitFor(async () => expect(await inGuest('grep -q " /data " /proc/mounts && echo ok')).toBe('ok'), {
    timeout: 120_000,
    interval: 1000,
  });
  return g;
}
