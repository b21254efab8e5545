// What makes a file an ISO 9660 image (ECMA-119): the volume descriptors start at sector 16
// (byte 32768), each with the standard identifier "CD001" at its byte 1; the primary one (type 1)
// says how many logical blocks the volume has and how large one is. Both the engine (on the first
// bytes of an upload) and the host (on the file it wrote) read it.

/** Where the first volume descriptor starts. */
const DESCRIPTORS_AT = 16 * 2048;
/** Bytes to read to see the first descriptor's type, identifier and the primary one's sizes. */
export const ISO9660_HEAD_BYTES = DESCRIPTORS_AT + 2048;

export interface Iso9660Volume {
  /** The volume's size as its primary descriptor declares it (blocks × block size). */
  volumeBytes: number;
  /** The volume identifier (label), trimmed. */
  label: string;
}

/**
 * The primary volume descriptor read from the first ISO9660_HEAD_BYTES of a file, or null when the
 * bytes are not an ISO 9660 image (no "CD001" at byte 32769, or no primary descriptor first).
 */
export function readIso9660Head(head: Uint8Array): Iso9660Volume | null {
  if (head.byteLength < ISO9660_HEAD_BYTES) return null;
  const pvd = Buffer.from(head.buffer, head.byteOffset + DESCRIPTORS_AT, 2048);
  if (pvd.toString('latin1', 1, 6) !== 'CD001' || pvd[0] !== 1) return null;
  // Both-endian fields: the little-endian half first.
  const blocks = pvd.readUInt32LE(80);
  const blockSize = pvd.readUInt16LE(128);
  if (blockSize < 512 || blockSize > 2048 || (blockSize & (blockSize - 1)) !== 0) return null;
  return { volumeBytes: blocks * blockSize, label: pvd.toString('latin1', 40, 72).trim() };
}
