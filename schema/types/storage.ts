import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { DiskFormat, DiskInterface, ImageStatus, StorageDomainStatus, StorageDomainType, StorageType } from './enums.ts';

export const StorageDomainRef = builder.prismaNode('StorageDomain', {
  authScopes: (row) => ({ visible: (v) => canSee.storageDomain(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A storage domain: where disk images live (data), ISO images, or exported VMs.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dataCenter: t.relation('dataCenter', { nullable: true }),
    domainType: t.expose('domainType', { type: StorageDomainType }),
    storageType: t.expose('storageType', { type: StorageType }),
    path: t.exposeString('path'),
    master: t.exposeBoolean('master'),
    status: t.expose('status', { type: StorageDomainStatus }),
    capacityBytes: t.expose('capacityBytes', { type: 'Long' }),
    usedBytes: t.expose('usedBytes', { type: 'Long' }),
    freeBytes: t.field({ type: 'Long', select: { capacityBytes: true, usedBytes: true }, resolve: (sd) => sd.capacityBytes - sd.usedBytes }),
    disks: t.relatedConnection('disks', { cursor: 'id', totalCount: true, query: { orderBy: [{ alias: 'asc' }, { id: 'asc' }] } }),
  }),
});

export const DiskRef = builder.prismaNode('Disk', {
  id: { field: 'id' },
  nullable: true,
  description: 'A virtual disk image on a storage domain.',
  fields: (t) => ({
    alias: t.exposeString('alias'),
    description: t.exposeString('description'),
    storageDomain: t.relation('storageDomain'),
    format: t.expose('format', { type: DiskFormat }),
    sparse: t.exposeBoolean('sparse', { description: 'Thin provisioned (true) or preallocated.' }),
    shareable: t.exposeBoolean('shareable'),
    provisionedSizeBytes: t.expose('provisionedSizeBytes', { type: 'Long', description: 'Virtual size the guest sees.' }),
    actualSizeBytes: t.expose('actualSizeBytes', { type: 'Long', description: 'Space the image takes on storage.' }),
    status: t.expose('status', { type: ImageStatus }),
    template: t.relation('template', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    attachments: t.relation('attachments'),
  }),
});

builder.prismaObject('DiskAttachment', {
  description: 'A disk as plugged into a VM.',
  fields: (t) => ({
    id: t.exposeID('id'),
    disk: t.relation('disk'),
    vm: t.relation('vm'),
    bootable: t.exposeBoolean('bootable'),
    interface: t.expose('interface', { type: DiskInterface }),
    active: t.exposeBoolean('active'),
  }),
});
