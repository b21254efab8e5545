// From the GraphQL input of importVm/importTemplate to the action's params: the descriptor text, or
// an upload (a bare OVF, or an OVA unpacked into a temporary directory and checked: entries, sizes,
// manifest, and disk images, which a host of the target data center receives and inspects), with
// the package's own warnings (no manifest, an unchecked signature).
import { createReadStream } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { canRunAction, parseParams } from '../server/actions/runAction.ts';
import { recordFailure } from '../server/actions/actionEvents.ts';
import { MAX_OVF_BYTES, type ImportVmParams } from '../server/actions/ovf/importParams.ts';
import { convertPackage, inspectPackage, type PackageFile } from '../server/actions/ovf/ovaImages.ts';
import type { ActionDefinition } from '../server/actions/defineAction.ts';
import { tempDir } from '../server/storage/tempArea.ts';
import { storageHost, type StorageHost } from '../server/storage/storageHost.ts';
import { uploadOf } from '../server/storage/uploads.ts';
import { loadConfig } from '../server/config.ts';
import { ActionFailedError, InputError, ValidationError, VireoError } from '../server/errors.ts';
import { readOva, type OvfVm } from '../server/ovf/index.ts';
import type { Engine } from '../server/engine.ts';
import type { Actor } from '../server/auth/actor.ts';

/** An import action: importVm or importTemplate (same params). */
export type ImportAction = ActionDefinition<ImportVmParams, unknown>;

/** The import input as GraphQL gives it (ImportVmInput, ImportTemplateInput). */
export interface ImportInputShape {
  ovf?: string | null;
  ova?: unknown;
  cluster: string | number;
  storageDomain?: string | number | null;
  disks?: { sourceDisk: string; storageDomain: string | number }[] | null;
  networks?: { source: string; network?: string | number | null }[] | null;
  clone?: boolean | null;
  name?: string | null;
}

/** Action params from the GraphQL input; an OVA's files stay unpacked in `dir` until `cleanup()`. */
export interface PreparedImport {
  params: Record<string, unknown>;
  /** The OVA's descriptor as read and its files (disk images inspected); null and [] for a descriptor alone. */
  vm: OvfVm | null;
  files: PackageFile[];
  dir: string | null;
  /** The host that holds the package's staged images, and their stage ids (discarded by cleanup()). */
  host: StorageHost | null;
  staged: string[];
  cleanup(): Promise<void>;
}

/**
 * GraphQL input → action params. An upload is an OVA or a bare OVF descriptor (by its first byte),
 * refused over its configured size. An OVA is unpacked into a temporary directory under the data
 * dir and checked (entries, sizes, manifest, disk images).
 */
export async function importParams(engine: Engine, action: ImportAction, input: ImportInputShape): Promise<PreparedImport> {
  const refused = (code: string, message: string) => new ValidationError(action.title, [{ code, message }]);
  const common = {
    clusterId: localId(String(input.cluster), 'Cluster', 'cluster'),
    storageDomainId: optionalLocalId(input.storageDomain as string | null, 'StorageDomain', 'storageDomain'),
    disks: (input.disks ?? []).map((d, i) => ({
      sourceId: d.sourceDisk,
      storageDomainId: localId(String(d.storageDomain), 'StorageDomain', `disks.${i}.storageDomain`),
    })),
    networks: (input.networks ?? []).map((n, i) => ({
      source: n.source,
      networkId: optionalLocalId(n.network as string | null, 'Network', `networks.${i}.network`) ?? null,
    })),
    clone: input.clone ?? false,
    name: input.name ?? undefined,
  };
  const none = { vm: null, files: [], dir: null, host: null, staged: [], cleanup: async () => {} };
  const ova = input.ova;
  if ((input.ovf == null) === (ova == null))
    throw new InputError([{ path: 'ovf', message: 'give exactly one of ovf (descriptor text) and ova (upload)' }]);
  if (input.ovf != null) return { ...none, params: { ...common, ovf: input.ovf, source: 'OVF' } };
  // The multipart request was streamed to disk (server/http/ovaUpload.ts); the variable holds its token.
  const upload = uploadOf((ova as { vireoUpload?: unknown }).vireoUpload);
  if (!upload) throw new InputError([{ path: 'ova', message: 'must be a file of a multipart request' }]);
  const config = loadConfig();
  if (upload.tooLarge || !upload.path) {
    throw refused(
      'OVA_TOO_LARGE',
      `The uploaded file ${upload.fileName} is larger than the limit of ${upload.limitBytes} bytes (VIREO_MAX_OVA_BYTES).`,
    );
  }
  const file = upload.path;
  const head = Buffer.alloc(64);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 64, 0);
  } finally {
    await handle.close();
  }
  if (/^(\uFEFF)?\s*</.test(head.toString('utf8'))) {
    const limit = Math.min(config.VIREO_MAX_OVF_BYTES, MAX_OVF_BYTES);
    if (upload.sizeBytes > limit)
      throw refused(
        'OVF_TOO_LARGE',
        `The uploaded OVF descriptor is ${upload.sizeBytes} bytes, more than the limit of ${limit} bytes (VIREO_MAX_OVF_BYTES).`,
      );
    return { ...none, params: { ...common, ovf: await readFile(file, 'utf8'), source: 'OVF' } };
  }
  const dir = await tempDir('import');
  const staged: string[] = [];
  let host: StorageHost | null = null;
  const cleanup = async () => {
    if (host && staged.length) {
      await engine.hosts
        .storage(host, { type: 'discardStages', stageIds: staged })
        .catch((e: unknown) => console.error(`could not discard the import's staged files on ${host!.name}:`, e));
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const contents = await readOva(createReadStream(file), {
      extractTo: path.join(dir, 'files'),
      maxOvfBytes: MAX_OVF_BYTES,
      maxTotalBytes: config.VIREO_MAX_OVA_BYTES,
    });
    // The images go to a host of the target cluster's data center (an unknown cluster is refused by the action's checks).
    const cluster = await engine.db.cluster.findUnique({ where: { id: common.clusterId }, select: { dataCenterId: true } });
    const disks = new Set(contents.vm.disks.flatMap((d) => (d.file ? [d.file.href.replace(/^\.\//, '')] : [])));
    if (cluster && [...contents.extracted.keys()].some((name) => disks.has(name)))
      host = await storageHost(engine, cluster.dataCenterId, action.title);
    const files = await inspectPackage(engine, host, contents, staged);
    return {
      params: { ...common, ovf: contents.ovfXml, source: 'OVA', files, packageWarnings: contents.warnings },
      vm: contents.vm,
      files,
      dir,
      host,
      staged,
      cleanup,
    };
  } catch (e) {
    await cleanup();
    if (e instanceof ValidationError) throw e;
    if (e instanceof VireoError) throw refused(e.code, e.message);
    throw e;
  }
}

/** Runs `fn` with the prepared import, then removes its temporary files. */
export async function withImport<T>(
  engine: Engine,
  action: ImportAction,
  input: ImportInputShape,
  fn: (prepared: PreparedImport) => Promise<T>,
): Promise<T> {
  const prepared = await importParams(engine, action, input);
  try {
    return await fn(prepared);
  } finally {
    await prepared.cleanup();
  }
}

/**
 * Has the host convert the OVA's disk images into their disks' formats when the import would be
 * allowed (so a refused import converts nothing); a failed conversion fails the import with an event.
 */
export async function convertIfAllowed(engine: Engine, actor: Actor, action: ImportAction, prepared: PreparedImport): Promise<void> {
  if (!prepared.vm || !prepared.files.some((f) => f.image)) return;
  if ((await canRunAction(engine, actor, action, prepared.params)).length) return;
  try {
    await convertPackage(engine, prepared.host!, prepared.vm, prepared.files, prepared.staged);
  } catch (e) {
    const error = new ActionFailedError(action.title, `converting the disk images failed: ${(e as Error).message}`);
    await recordFailure(engine, actor, action, error, { objects: action.objects?.(parseParams(action.params, prepared.params)) });
    throw error;
  }
}
