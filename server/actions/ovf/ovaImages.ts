// The disk images of an uploaded OVA, between unpacking and the import action: each disk's file
// is inspected where it was unpacked (qemu-img probes the format; only disk formats are accepted,
// and an image that refers to any file outside itself is refused), then converted into the
// target disk's format (qcow2 for COW, raw for RAW) in the same temporary directory, so the
// action only has to move it into place.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { OvaError, type OvaContents, type OvfVm } from '../../ovf/index.ts';
import { fileFormat } from '../../storage/images.ts';
import { convertImage, imageInfo, qemuImgInstalled, type ImageInfo } from '../../../agent/storage/qemuImg.ts';
import { IMPORTABLE_FORMATS, type ImageFormat } from '../../../protocol/storage.ts';

/** A file of the package beside the descriptor, as the import action's params carry it. */
export interface PackageFile {
  name: string;
  sizeBytes: bigint;
  /** The unpacked disk image, inspected (absent without qemu-img, or for files that are not disks). */
  image?: { path: string; format: ImageFormat; virtualSizeBytes: bigint };
  /** The image converted into its disk's format, ready to be moved into place. */
  converted?: { path: string; format: 'qcow2' | 'raw'; actualSizeBytes: bigint };
}

function diskFiles(vm: OvfVm): Set<string> {
  return new Set(vm.disks.flatMap((d) => (d.file ? [d.file.href.replace(/^\.\//, '')] : [])));
}

/** The package's files with each disk image inspected. Throws OvaError for an image that cannot or must not be imported. */
export async function inspectPackage(contents: OvaContents): Promise<PackageFile[]> {
  const disks = diskFiles(contents.vm);
  const qemu = await qemuImgInstalled();
  const files: PackageFile[] = [];
  for (const e of contents.entries) {
    if (e.name === contents.ovfName || /\.(mf|cert)$/i.test(e.name)) continue;
    const file: PackageFile = { name: e.name, sizeBytes: BigInt(e.sizeBytes) };
    const unpacked = contents.extracted.get(e.name);
    if (qemu && unpacked && disks.has(e.name)) {
      let info: ImageInfo;
      try { info = await imageInfo(unpacked); } catch (err) {
        throw new OvaError('OVA_IMAGE_UNSUPPORTED', `Disk image "${e.name}" cannot be read: ${(err as Error).message}`, e.name);
      }
      if (!IMPORTABLE_FORMATS.includes(info.format as ImageFormat)) {
        throw new OvaError('OVA_IMAGE_UNSUPPORTED', `Disk image "${e.name}" is in format ${info.format}; Vireo imports ${IMPORTABLE_FORMATS.join(', ')}.`, e.name);
      }
      if (info.externalFiles.length) {
        throw new OvaError('OVA_IMAGE_UNSAFE', `Disk image "${e.name}" refers to files outside itself (${info.externalFiles.join(', ').slice(0, 300)}); it is refused.`, e.name);
      }
      file.image = { path: unpacked, format: info.format as ImageFormat, virtualSizeBytes: info.virtualSizeBytes };
    }
    files.push(file);
  }
  return files;
}

/** Converts each inspected disk image into its disk's format beside it (in `dir`), recording the result in `files`. */
export async function convertPackage(vm: OvfVm, files: PackageFile[], dir: string): Promise<void> {
  const out = path.join(dir, 'converted');
  await mkdir(out, { recursive: true });
  for (const [i, d] of vm.disks.entries()) {
    const file = d.file ? files.find((f) => f.name === d.file!.href.replace(/^\.\//, '')) : undefined;
    if (!file?.image) continue;
    const format = fileFormat(d.format);
    const target = path.join(out, `${i}.${format}`);
    await convertImage(file.image.path, file.image.format, target, format);
    file.converted = { path: target, format, actualSizeBytes: (await imageInfo(target, format)).actualSizeBytes };
  }
}
