// The disk images of an uploaded OVA, between unpacking and the import action. The engine only
// holds the unpacked bytes; a host of the target data center fetches each disk's file into its
// staging area over a one-time transfer ticket and inspects it there (qemu-img probes the format;
// only disk formats are accepted, and an image that refers to any file outside itself is refused).
// Once the import would be allowed, the same host converts each into its disk's format beside it,
// so the action only has the host move it into place.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { OvaError, type OvaContents, type OvfVm } from '../../ovf/index.ts';
import { IMPORTABLE_FORMATS, type ImageFormat } from '../../../protocol/storage.ts';
import type { Engine } from '../../engine.ts';
import type { StorageHost } from '../../storage/storageHost.ts';
import { offerFile } from '../../storage/transfers.ts';

/** A file of the package beside the descriptor, as the import action's params carry it. */
export interface PackageFile {
  name: string;
  sizeBytes: bigint;
  /** The disk image staged on a host and inspected (absent when that host has no qemu-img, or for files that are not disks). */
  image?: { hostId: string; stageId: string; format: ImageFormat; virtualSizeBytes: bigint };
  /** The image converted into its disk's format, staged on the same host, ready to be moved into place. */
  converted?: { stageId: string; format: 'qcow2' | 'raw'; actualSizeBytes: bigint };
}

function diskFiles(vm: OvfVm): Set<string> {
  return new Set(vm.disks.flatMap((d) => (d.file ? [d.file.href.replace(/^\.\//, '')] : [])));
}

/** Sends the unpacked file to the host's staging area and has it inspected there. */
async function stageOnHost(engine: Engine, host: StorageHost, unpacked: string, stageId: string) {
  const { size } = await stat(unpacked);
  const ticket = offerFile(unpacked, size);
  try {
    return await engine.hosts.storage(host, { type: 'receiveStage', stageId, transferPath: ticket.path, sizeBytes: size });
  } finally {
    ticket.revoke();
  }
}

/**
 * The package's files with each disk image staged on `host` and inspected (null: none is, the
 * target is refused anyway); every stage id used is pushed to `staged` (for the caller to discard).
 * Throws OvaError for an image that cannot or must not be imported.
 */
export async function inspectPackage(
  engine: Engine,
  host: StorageHost | null,
  contents: OvaContents,
  staged: string[],
): Promise<PackageFile[]> {
  const disks = diskFiles(contents.vm);
  const files: PackageFile[] = [];
  for (const e of contents.entries) {
    if (e.name === contents.ovfName || /\.(mf|cert)$/i.test(e.name)) continue;
    const file: PackageFile = { name: e.name, sizeBytes: BigInt(e.sizeBytes) };
    const unpacked = contents.extracted.get(e.name);
    if (host && unpacked && disks.has(e.name)) {
      const stageId = randomUUID();
      staged.push(stageId);
      const info = await stageOnHost(engine, host, unpacked, stageId);
      if (info.state === 'unreadable')
        throw new OvaError('OVA_IMAGE_UNSUPPORTED', `Disk image "${e.name}" cannot be read: ${info.message}`, e.name);
      if (info.state === 'read') {
        if (!IMPORTABLE_FORMATS.includes(info.format as ImageFormat)) {
          throw new OvaError(
            'OVA_IMAGE_UNSUPPORTED',
            `Disk image "${e.name}" is in format ${info.format}; Vireo imports ${IMPORTABLE_FORMATS.join(', ')}.`,
            e.name,
          );
        }
        if (info.externalFiles.length) {
          throw new OvaError(
            'OVA_IMAGE_UNSAFE',
            `Disk image "${e.name}" refers to files outside itself (${info.externalFiles.join(', ').slice(0, 300)}); it is refused.`,
            e.name,
          );
        }
        file.image = { hostId: host.id, stageId, format: info.format as ImageFormat, virtualSizeBytes: BigInt(info.virtualSizeBytes) };
      }
    }
    files.push(file);
  }
  return files;
}

/** Has the host convert each inspected disk image into its disk's format, recording the result in `files`. */
export async function convertPackage(engine: Engine, host: StorageHost, vm: OvfVm, files: PackageFile[], staged: string[]): Promise<void> {
  for (const d of vm.disks) {
    const file = d.file ? files.find((f) => f.name === d.file!.href.replace(/^\.\//, '')) : undefined;
    if (!file?.image) continue;
    const targetStageId = randomUUID();
    staged.push(targetStageId);
    const r = await engine.hosts.storage(host, {
      type: 'convertStage',
      stageId: file.image.stageId,
      sourceFormat: file.image.format,
      targetStageId,
      format: d.format,
    });
    file.converted = { stageId: targetStageId, format: d.format === 'COW' ? 'qcow2' : 'raw', actualSizeBytes: BigInt(r.actualSizeBytes) };
  }
}
