import { builder } from '../builder.ts';
import * as E from '../../generated/prisma/enums.ts';

export const DataCenterStatus = builder.enumType(E.DataCenterStatus, { name: 'DataCenterStatus' });
export const HostStatus = builder.enumType(E.HostStatus, { name: 'HostStatus' });
export const VmStatus = builder.enumType(E.VmStatus, { name: 'VmStatus' });
export const StorageDomainType = builder.enumType(E.StorageDomainType, { name: 'StorageDomainType' });
export const BootDevice = builder.enumType(E.BootDevice, { name: 'BootDevice' });
export const StorageType = builder.enumType(E.StorageType, { name: 'StorageType' });
export const StorageDomainStatus = builder.enumType(E.StorageDomainStatus, { name: 'StorageDomainStatus' });
export const DiskFormat = builder.enumType(E.DiskFormat, { name: 'DiskFormat' });
export const DiskInterface = builder.enumType(E.DiskInterface, { name: 'DiskInterface' });
export const ImageStatus = builder.enumType(E.ImageStatus, { name: 'ImageStatus' });
export const NicInterface = builder.enumType(E.NicInterface, { name: 'NicInterface' });
export const DisplayType = builder.enumType(E.DisplayType, { name: 'DisplayType' });
export const SnapshotType = builder.enumType(E.SnapshotType, { name: 'SnapshotType' });
export const AuditSeverity = builder.enumType(E.AuditSeverity, { name: 'EventSeverity' });
export const JobStatus = builder.enumType(E.JobStatus, { name: 'JobStatus' });
export const BondMode = builder.enumType(E.BondMode, {
  name: 'BondMode',
  description: 'ACTIVE_BACKUP: mode 1, one NIC at a time; LACP: mode 4, IEEE 802.3ad link aggregation.',
});
export const NonOperationalReason = builder.enumType(E.NonOperationalReason, { name: 'NonOperationalReason' });
export const ObjectType = builder.enumType(E.ObjectType, { name: 'ObjectType' });

export const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
export const AlertRuleKind = builder.enumType(E.AlertRuleKind, {
  name: 'AlertRuleKind',
  description: 'THRESHOLD: a figure held past a threshold; STATUS: an object in a status; EVENT: an event code.',
});
export const AlertSubject = builder.enumType(E.AlertSubject, { name: 'AlertSubject' });
export const AlertComparison = builder.enumType(E.AlertComparison, { name: 'AlertComparison' });
export const AlertFigure = builder.enumType(E.AlertFigure, {
  name: 'AlertFigure',
  description:
    'HOST: CPU_PERCENT, CPU_LOAD, MEMORY_USED_PERCENT, MEMORY_USED_MB, SWAP_USED_MB; VM: CPU_PERCENT, MEMORY_USED_MB; STORAGE_DOMAIN: FREE_PERCENT.',
});
export const AffinityPolarity = builder.enumType(E.AffinityPolarity, {
  name: 'AffinityPolarity',
  description: "An affinity rule's direction: together / on the hosts (POSITIVE), apart / not on them (NEGATIVE), or no rule (DISABLED).",
});
export const FenceAction = builder.enumType('FenceAction', {
  values: ['STATUS', 'ON', 'OFF', 'REBOOT'] as const,
  description: "A power management operation: ask the host's power state, power it on, off, or restart it.",
});
export const PowerState = builder.enumType('PowerState', {
  values: ['ON', 'OFF'] as const,
  description: 'Power state a fence agent reports.',
});
