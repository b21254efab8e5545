// The input of importVm and importTemplate (an OVF descriptor, an OVA's files, where to put what),
// and the words the plan uses for what it makes and warns about.
import { z } from 'zod';
import { id } from '../../validators/params.ts';
import { vmName } from '../../validators/vmValidator.ts';
import { ImageFormat } from '../../../protocol/storage.ts';

/** Largest descriptor, as text or as a bare OVF upload. */
export const MAX_OVF_BYTES = 10 * 1024 * 1024;

export const importVmParams = z.object({
  /** The OVF descriptor's text. */
  ovf: z.string().min(1, 'must not be empty').max(MAX_OVF_BYTES, 'is larger than 10 MiB'),
  /** Where the descriptor came from, for messages: 'OVF' (descriptor alone) or 'OVA'. */
  source: z.enum(['OVF', 'OVA']).default('OVF'),
  /** Files of the OVA beside the descriptor (already checked against the manifest): their sizes. */
  files: z
    .array(
      z.object({
        name: z.string().max(1024),
        sizeBytes: z.bigint().nonnegative(),
        /** The disk image as a host received it into its staging area and qemu-img read it there. */
        image: z.object({ hostId: id, stageId: z.uuid(), format: ImageFormat, virtualSizeBytes: z.bigint().nonnegative() }).optional(),
        /** The image converted to its disk's format, staged on the same host. */
        converted: z.object({ stageId: z.uuid(), format: z.enum(['qcow2', 'raw']), actualSizeBytes: z.bigint().nonnegative() }).optional(),
      }),
    )
    .max(256)
    .default([]),
  /** What unpacking the OVA found about the package itself (no manifest, an unchecked signature). */
  packageWarnings: z
    .array(z.object({ code: z.string().max(64), message: z.string().max(1024) }))
    .max(16)
    .default([]),
  clusterId: id,
  /** Storage domain of every disk not named in `disks`. */
  storageDomainId: id.optional(),
  disks: z
    .array(z.object({ sourceId: z.string().min(1).max(256), storageDomainId: id }))
    .max(64)
    .default([]),
  /** Source network name → Vireo network (null: leave the NIC without a network on purpose). */
  networks: z
    .array(z.object({ source: z.string().max(256), networkId: id.nullable() }))
    .max(64)
    .default([]),
  clone: z.boolean().default(false),
  name: vmName.optional(),
});
export type ImportVmParams = z.infer<typeof importVmParams>;

/** What an import creates: importVm a VM, importTemplate a template. */
export type ImportKind = 'vm' | 'template';

export interface ImportWarning {
  code: string;
  message: string;
}
