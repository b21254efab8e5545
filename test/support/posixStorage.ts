// An engine with real POSIX storage domains in a temporary folder (allowed as a storage root for the
// test) and a simulated host whose agent does the image work with real files and qemu-img, for
// tests that check what storage actions did to the images.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from './testEngine.ts';
import { buildInventory, mutate } from './inventory.ts';
import { startStorageHost, type SimHost } from './simulatedHosts.ts';
import { volumeRef } from '../../server/storage/volumeRef.ts';
import { volumePath } from '../../agent/storage/domainLayout.ts';

export type PosixDomain = { id: string; gid: string; path: string };

export interface PosixStorage {
  t: TestEngine;
  inv: Awaited<ReturnType<typeof buildInventory>>;
  /** A POSIX domain of the inventory's data center (a data domain unless told), in a new folder under the test's root. */
  addDomain(name: string, domainType?: 'DATA' | 'ISO'): Promise<PosixDomain>;
  /** The engine's HTTP address (served on a port, as the host's agent reaches it). */
  url: string;
  /** The simulated host whose agent does the image work (and runs VMs). */
  host: SimHost;
  /** The image a disk's top volume is (what a VM runs on), on its domain. */
  imageOf(domain: PosixDomain, diskId: string): string;
  close(): Promise<void>;
}

export async function startPosixStorage(prefix: string, hostName: string): Promise<PosixStorage> {
  const root = mkdtempSync(path.join(os.tmpdir(), `vireo-${prefix.toLowerCase()}-`));
  const savedRoots = process.env.VIREO_STORAGE_ROOTS;
  process.env.VIREO_STORAGE_ROOTS = root;
  const t = await startTestEngine();
  const inv = await buildInventory(t, prefix);
  const host = await startStorageHost(t, inv.cluster.id, hostName);
  return {
    t,
    inv,
    url: host.url,
    host,
    async addDomain(name, domainType = 'DATA') {
      const dir = path.join(root, name);
      mkdirSync(dir);
      const sd = await mutate(
        t,
        'addStorageDomain',
        { name, dataCenter: inv.dc.id, path: dir, storageType: 'POSIXFS', domainType },
        'storageDomain',
      );
      return { id: decodeGlobalID(sd.id).id, gid: sd.id, path: dir };
    },
    imageOf: (domain, diskId) => volumePath(volumeRef(domain, diskId)),
    async close() {
      await host.stop();
      await t.close();
      if (savedRoots === undefined) delete process.env.VIREO_STORAGE_ROOTS;
      else process.env.VIREO_STORAGE_ROOTS = savedRoots;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
