// What the agent needs from a host's storage: one method per storage verb of the protocol
// (protocol/storage.ts), each answering that verb's result. FileStorage implements them over
// files with qemu-img (file domains: local, POSIX, NFS mounted by the host).
import type { DomainHealth, StorageCommand, StorageResult } from '../../protocol/storage.ts';

/** How the agent reaches the engine for transfers: the engine's HTTP base URL. */
export interface TransferContext {
  engineUrl: string;
}

export type StorageDriver = {
  [T in StorageCommand['type']]: (command: Extract<StorageCommand, { type: T }>, ctx: TransferContext) => Promise<StorageResult<T>>;
} & {
  /** The health of the domains connectStorageDomains named, measured now (sent with every report). */
  domainHealth(): Promise<DomainHealth[]>;
};

/** Runs one storage command on the driver. */
export function runStorageCommand(storage: StorageDriver, command: StorageCommand, ctx: TransferContext): Promise<unknown> {
  const verb = storage[command.type] as (c: StorageCommand, x: TransferContext) => Promise<unknown>;
  return verb.call(storage, command, ctx);
}
