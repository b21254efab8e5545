// An empty qcow2 (version 3) image of a given virtual size, as `qemu-img create -f qcow2` makes:
// header, refcount table, one refcount block, an all-zero L1 table. Nothing is allocated, so it
// reads as zeros and takes a few clusters whatever its virtual size.
const CLUSTER_BITS = 16;
const CLUSTER = 1 << CLUSTER_BITS;

/** The image of `sizeBytes` rounded up to whole 512-byte sectors (qcow2 sizes are in sectors). */
export function emptyQcow2(requestedBytes: bigint): Buffer {
  const sizeBytes = ((requestedBytes + 511n) / 512n) * 512n;
  // One L2 table maps CLUSTER / 8 clusters.
  const perL2 = BigInt(CLUSTER) * BigInt(CLUSTER / 8);
  const l1Size = Number((sizeBytes + perL2 - 1n) / perL2);
  const l1Clusters = Math.max(1, Math.ceil((l1Size * 8) / CLUSTER));
  const clusters = 3 + l1Clusters; // header, refcount table, refcount block, L1
  const buf = Buffer.alloc(clusters * CLUSTER);
  buf.writeUInt32BE(0x514649fb, 0); // 'QFI\xfb'
  buf.writeUInt32BE(3, 4); // version
  buf.writeUInt32BE(CLUSTER_BITS, 20);
  buf.writeBigUInt64BE(sizeBytes, 24);
  buf.writeUInt32BE(l1Size, 36);
  buf.writeBigUInt64BE(BigInt(3 * CLUSTER), 40); // L1 table offset
  buf.writeBigUInt64BE(BigInt(CLUSTER), 48); // refcount table offset
  buf.writeUInt32BE(1, 56); // refcount table clusters
  buf.writeUInt32BE(4, 96); // refcount order: 16-bit refcounts
  buf.writeUInt32BE(104, 100); // header length; the zeroes after it end the (empty) extension list
  buf.writeBigUInt64BE(BigInt(2 * CLUSTER), CLUSTER); // refcount table[0] → refcount block
  for (let i = 0; i < clusters; i++) buf.writeUInt16BE(1, 2 * CLUSTER + i * 2);
  return buf;
}
