// Typed errors of the OVF reader/writer and the OVA packer. Each carries a stable code.
import { VireoError } from '../errors.ts';

/** The descriptor is not well-formed XML. */
export class OvfMalformedError extends VireoError {
  readonly code = 'OVF_MALFORMED';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`Malformed OVF descriptor${line ? ` (line ${line}, column ${column ?? 0})` : ''}: ${message}`);
    this.name = 'OvfMalformedError';
  }
}

/** The descriptor uses XML features refused for safety (DOCTYPE, entity declarations). */
export class OvfUnsafeError extends VireoError {
  readonly code = 'OVF_UNSAFE';
  constructor(message: string) {
    super(`Unsafe OVF descriptor: ${message}`);
    this.name = 'OvfUnsafeError';
  }
}

/** The descriptor is larger than the configured limit. */
export class OvfTooLargeError extends VireoError {
  readonly code = 'OVF_TOO_LARGE';
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`OVF descriptor is ${sizeBytes} bytes, more than the limit of ${limitBytes}.`);
    this.name = 'OvfTooLargeError';
  }
}

/** Well-formed XML, but not a usable OVF description (missing section, bad value). */
export class OvfInvalidError extends VireoError {
  readonly code = 'OVF_INVALID';
  constructor(message: string) {
    super(`Invalid OVF descriptor: ${message}`);
    this.name = 'OvfInvalidError';
  }
}

/** Stable codes of OvaError. */
export type OvaErrorCode =
  | 'OVA_UNSAFE_ENTRY' // path traversal, absolute path, link or device entry, duplicate name
  | 'OVA_TOO_LARGE' // an entry over its size limit
  | 'OVA_MISSING_FILE' // a file the OVF references is not in the archive
  | 'OVA_CHECKSUM_MISMATCH' // the manifest disagrees with an entry's content
  | 'OVA_IMAGE_UNSUPPORTED' // a disk image in a format Vireo does not import, or unreadable
  | 'OVA_IMAGE_UNSAFE' // a disk image that refers to files outside itself (backing file, data file, VMDK extents)
  | 'OVA_INVALID'; // not a tar, no descriptor first, malformed manifest…

/** An OVA archive was refused; `entry` names the tar entry concerned, when there is one. */
export class OvaError extends VireoError {
  constructor(
    readonly code: OvaErrorCode,
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'OvaError';
  }
}
