// OVF/OVA groundwork: read descriptors from oVirt, VMware and VirtualBox, write oVirt's flavour,
// pack and unpack OVA archives. Engine actions (import/export) build on these.
export { readOvf, type ReadOvfOptions } from './reader.ts';
export { writeOvirtOvf, type WriteOvfOptions } from './writer.ts';
export { toOvirtDescription, isUuid } from './ovirtIds.ts';
export { readOva, writeOva, safeEntryName, type OvaContents, type OvaEntryInfo, type OvaFileSource, type ReadOvaOptions } from './ova.ts';
export * from './errors.ts';
export type * from './types.ts';
