// What the simulated hypervisor leaves on a new disk: a few recognizable blocks, as if an
// installer had run. An MBR with one Linux partition covering the disk (from sector 2048), and a
// text block naming the VM and the disk at 4 KiB. The rest reads as zeros.

export interface SimulatedDiskLabel {
  diskId: string;
  diskAlias: string;
  /** The VM the disk was created for, if any. */
  vmName: string | null;
  sizeBytes: bigint;
}

/** Bytes from offset 0 of the disk: 8 KiB (the disk must be at least that large). */
export function simulatedDiskContent(label: SimulatedDiskLabel): Buffer {
  const buf = Buffer.alloc(8192);
  const sectors = label.sizeBytes / 512n;
  if (sectors > 2048n) {
    const count = sectors - 2048n > 0xffffffffn ? 0xffffffff : Number(sectors - 2048n);
    const entry = 446; // first partition entry
    buf[entry + 4] = 0x83; // Linux
    buf.writeUInt32LE(2048, entry + 8);
    buf.writeUInt32LE(count, entry + 12);
    buf.writeUInt32LE(parseInt(label.diskId.slice(0, 8), 16) >>> 0, 440); // disk signature
  }
  buf[510] = 0x55;
  buf[511] = 0xaa;
  const text = [
    'VIREO SIMULATED DISK',
    `disk: ${label.diskAlias}`,
    `id: ${label.diskId}`,
    `vm: ${label.vmName ?? '(none)'}`,
    `size: ${label.sizeBytes}`,
    '',
  ].join('\n');
  buf.write(text.slice(0, 4096), 4096, 'utf8');
  return buf;
}
