-- CreateEnum
CREATE TYPE "DataCenterStatus" AS ENUM ('UNINITIALIZED', 'UP', 'MAINTENANCE', 'NOT_OPERATIONAL', 'NON_RESPONSIVE', 'CONTEND');

-- CreateEnum
CREATE TYPE "HostStatus" AS ENUM ('UNASSIGNED', 'INSTALLING', 'INSTALL_FAILED', 'INITIALIZING', 'CONNECTING', 'UP', 'PREPARING_FOR_MAINTENANCE', 'MAINTENANCE', 'NON_RESPONSIVE', 'NON_OPERATIONAL', 'REBOOT', 'ERROR', 'DOWN');

-- CreateEnum
CREATE TYPE "VmStatus" AS ENUM ('DOWN', 'UP', 'POWERING_UP', 'POWERING_DOWN', 'PAUSED', 'SUSPENDED', 'SAVING_STATE', 'RESTORING_STATE', 'MIGRATING_FROM', 'MIGRATING_TO', 'REBOOT_IN_PROGRESS', 'WAIT_FOR_LAUNCH', 'NOT_RESPONDING', 'UNKNOWN', 'IMAGE_LOCKED', 'IMAGE_ILLEGAL');

-- CreateEnum
CREATE TYPE "StorageDomainType" AS ENUM ('DATA', 'ISO', 'EXPORT');

-- CreateEnum
CREATE TYPE "StorageType" AS ENUM ('NFS', 'ISCSI', 'FCP', 'LOCALFS', 'POSIXFS', 'GLUSTERFS');

-- CreateEnum
CREATE TYPE "StorageDomainStatus" AS ENUM ('UNATTACHED', 'ACTIVE', 'INACTIVE', 'MAINTENANCE', 'LOCKED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "DiskFormat" AS ENUM ('RAW', 'COW');

-- CreateEnum
CREATE TYPE "DiskInterface" AS ENUM ('VIRTIO', 'VIRTIO_SCSI', 'IDE', 'SATA');

-- CreateEnum
CREATE TYPE "ImageStatus" AS ENUM ('OK', 'LOCKED', 'ILLEGAL');

-- CreateEnum
CREATE TYPE "NicInterface" AS ENUM ('VIRTIO', 'E1000', 'E1000E', 'RTL8139');

-- CreateEnum
CREATE TYPE "SnapshotType" AS ENUM ('ACTIVE', 'REGULAR', 'PREVIEW', 'STATELESS');

-- CreateEnum
CREATE TYPE "AuditSeverity" AS ENUM ('NORMAL', 'WARNING', 'ERROR', 'ALERT');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('STARTED', 'FINISHED', 'FAILED', 'ABORTED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ObjectType" AS ENUM ('SYSTEM', 'DATA_CENTER', 'CLUSTER', 'HOST', 'VM', 'STORAGE_DOMAIN', 'NETWORK', 'TEMPLATE', 'DISK');

-- CreateTable
CREATE TABLE "DataCenter" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "local" BOOLEAN NOT NULL DEFAULT false,
    "compatibilityVersion" TEXT NOT NULL DEFAULT '4.7',
    "status" "DataCenterStatus" NOT NULL DEFAULT 'UNINITIALIZED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DataCenter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cluster" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "dataCenterId" UUID NOT NULL,
    "cpuType" TEXT NOT NULL DEFAULT 'Intel Skylake Server Family',
    "memoryOvercommitPercent" INTEGER NOT NULL DEFAULT 100,
    "schedulingPolicy" TEXT NOT NULL DEFAULT 'evenly_distributed',
    "haReservation" BOOLEAN NOT NULL DEFAULT false,
    "ballooningEnabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "clusterId" UUID NOT NULL,
    "status" "HostStatus" NOT NULL DEFAULT 'UNASSIGNED',
    "statusReason" TEXT NOT NULL DEFAULT '',
    "spm" BOOLEAN NOT NULL DEFAULT false,
    "cpuModel" TEXT NOT NULL DEFAULT '',
    "cpuSockets" INTEGER NOT NULL DEFAULT 1,
    "cpuCores" INTEGER NOT NULL DEFAULT 1,
    "cpuThreads" INTEGER NOT NULL DEFAULT 1,
    "memoryMb" INTEGER NOT NULL DEFAULT 0,
    "osVersion" TEXT NOT NULL DEFAULT '',
    "agentVersion" TEXT NOT NULL DEFAULT '',
    "lastSeenAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostNic" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "macAddress" TEXT NOT NULL,
    "speedMbps" INTEGER NOT NULL DEFAULT 1000,
    "networkId" UUID,

    CONSTRAINT "HostNic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorageDomain" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "dataCenterId" UUID,
    "domainType" "StorageDomainType" NOT NULL DEFAULT 'DATA',
    "storageType" "StorageType" NOT NULL DEFAULT 'NFS',
    "path" TEXT NOT NULL DEFAULT '',
    "master" BOOLEAN NOT NULL DEFAULT false,
    "status" "StorageDomainStatus" NOT NULL DEFAULT 'UNATTACHED',
    "capacityBytes" BIGINT NOT NULL DEFAULT 0,
    "usedBytes" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StorageDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disk" (
    "id" UUID NOT NULL,
    "alias" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "storageDomainId" UUID NOT NULL,
    "format" "DiskFormat" NOT NULL DEFAULT 'COW',
    "sparse" BOOLEAN NOT NULL DEFAULT true,
    "shareable" BOOLEAN NOT NULL DEFAULT false,
    "provisionedSizeBytes" BIGINT NOT NULL,
    "actualSizeBytes" BIGINT NOT NULL DEFAULT 0,
    "status" "ImageStatus" NOT NULL DEFAULT 'OK',
    "templateId" UUID,
    "parentId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Disk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiskAttachment" (
    "id" UUID NOT NULL,
    "vmId" UUID NOT NULL,
    "diskId" UUID NOT NULL,
    "bootable" BOOLEAN NOT NULL DEFAULT false,
    "interface" "DiskInterface" NOT NULL DEFAULT 'VIRTIO_SCSI',
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "DiskAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Network" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "dataCenterId" UUID NOT NULL,
    "vlanId" INTEGER,
    "mtu" INTEGER NOT NULL DEFAULT 1500,
    "vmNetwork" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Network_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClusterNetwork" (
    "clusterId" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "display" BOOLEAN NOT NULL DEFAULT false,
    "migration" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ClusterNetwork_pkey" PRIMARY KEY ("clusterId","networkId")
);

-- CreateTable
CREATE TABLE "Vm" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "clusterId" UUID NOT NULL,
    "hostId" UUID,
    "templateId" UUID,
    "status" "VmStatus" NOT NULL DEFAULT 'DOWN',
    "osType" TEXT NOT NULL DEFAULT 'other',
    "cpuSockets" INTEGER NOT NULL DEFAULT 1,
    "cpuCores" INTEGER NOT NULL DEFAULT 1,
    "cpuThreads" INTEGER NOT NULL DEFAULT 1,
    "memoryMb" INTEGER NOT NULL DEFAULT 1024,
    "guaranteedMemoryMb" INTEGER NOT NULL DEFAULT 1024,
    "highlyAvailable" BOOLEAN NOT NULL DEFAULT false,
    "haPriority" INTEGER NOT NULL DEFAULT 1,
    "stateless" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Vm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmNic" (
    "id" UUID NOT NULL,
    "vmId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "macAddress" TEXT NOT NULL,
    "networkId" UUID,
    "interface" "NicInterface" NOT NULL DEFAULT 'VIRTIO',
    "linked" BOOLEAN NOT NULL DEFAULT true,
    "plugged" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "VmNic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Template" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "clusterId" UUID,
    "status" "ImageStatus" NOT NULL DEFAULT 'OK',
    "osType" TEXT NOT NULL DEFAULT 'other',
    "cpuSockets" INTEGER NOT NULL DEFAULT 1,
    "cpuCores" INTEGER NOT NULL DEFAULT 1,
    "cpuThreads" INTEGER NOT NULL DEFAULT 1,
    "memoryMb" INTEGER NOT NULL DEFAULT 1024,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" UUID NOT NULL,
    "vmId" UUID NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "type" "SnapshotType" NOT NULL DEFAULT 'REGULAR',
    "status" "ImageStatus" NOT NULL DEFAULT 'OK',
    "withMemory" BOOLEAN NOT NULL DEFAULT false,
    "parentId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "userName" TEXT NOT NULL,
    "domain" TEXT NOT NULL DEFAULT 'internal',
    "displayName" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "externalId" TEXT,
    "lastLoginAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Group" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT NOT NULL DEFAULT 'internal',
    "externalId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupMembership" (
    "userId" UUID NOT NULL,
    "groupId" UUID NOT NULL,

    CONSTRAINT "GroupMembership_pkey" PRIMARY KEY ("userId","groupId")
);

-- CreateTable
CREATE TABLE "Role" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "adminRole" BOOLEAN NOT NULL DEFAULT false,
    "actionGroups" TEXT[],

    CONSTRAINT "Role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Permission" (
    "id" UUID NOT NULL,
    "roleId" UUID NOT NULL,
    "userId" UUID,
    "groupId" UUID,
    "objectType" "ObjectType" NOT NULL,
    "objectId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Permission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "severity" "AuditSeverity" NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userName" TEXT NOT NULL DEFAULT '',
    "correlationId" TEXT NOT NULL DEFAULT '',
    "jobId" UUID,
    "dataCenterId" UUID,
    "clusterId" UUID,
    "hostId" UUID,
    "vmId" UUID,
    "storageDomainId" UUID,
    "templateId" UUID,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL,
    "actionType" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'STARTED',
    "userName" TEXT NOT NULL DEFAULT '',
    "correlationId" TEXT NOT NULL DEFAULT '',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Step" (
    "id" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "parentId" UUID,
    "stepType" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'STARTED',
    "progress" INTEGER,
    "number" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostStatistics" (
    "hostId" UUID NOT NULL,
    "cpuUserPercent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cpuSysPercent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cpuIdlePercent" DOUBLE PRECISION NOT NULL DEFAULT 100,
    "cpuLoad" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "memUsedMb" INTEGER NOT NULL DEFAULT 0,
    "memFreeMb" INTEGER NOT NULL DEFAULT 0,
    "swapUsedMb" INTEGER NOT NULL DEFAULT 0,
    "netRxBps" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "netTxBps" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "runningVms" INTEGER NOT NULL DEFAULT 0,
    "sampledAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HostStatistics_pkey" PRIMARY KEY ("hostId")
);

-- CreateTable
CREATE TABLE "VmStatistics" (
    "vmId" UUID NOT NULL,
    "cpuPercent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "memUsedMb" INTEGER NOT NULL DEFAULT 0,
    "netRxBps" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "netTxBps" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "diskReadBps" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "diskWriteBps" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "uptimeSeconds" INTEGER NOT NULL DEFAULT 0,
    "guestHostname" TEXT NOT NULL DEFAULT '',
    "guestIps" TEXT[],
    "guestApps" TEXT[],
    "guestUser" TEXT NOT NULL DEFAULT '',
    "sampledAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "VmStatistics_pkey" PRIMARY KEY ("vmId")
);

-- CreateIndex
CREATE UNIQUE INDEX "DataCenter_name_key" ON "DataCenter"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");

-- CreateIndex
CREATE INDEX "Cluster_dataCenterId_idx" ON "Cluster"("dataCenterId");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_address_key" ON "Host"("address");

-- CreateIndex
CREATE INDEX "Host_clusterId_idx" ON "Host"("clusterId");

-- CreateIndex
CREATE INDEX "Host_status_idx" ON "Host"("status");

-- CreateIndex
CREATE INDEX "HostNic_networkId_idx" ON "HostNic"("networkId");

-- CreateIndex
CREATE UNIQUE INDEX "HostNic_hostId_name_key" ON "HostNic"("hostId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "StorageDomain_name_key" ON "StorageDomain"("name");

-- CreateIndex
CREATE INDEX "StorageDomain_dataCenterId_idx" ON "StorageDomain"("dataCenterId");

-- CreateIndex
CREATE INDEX "Disk_storageDomainId_idx" ON "Disk"("storageDomainId");

-- CreateIndex
CREATE INDEX "Disk_templateId_idx" ON "Disk"("templateId");

-- CreateIndex
CREATE INDEX "DiskAttachment_diskId_idx" ON "DiskAttachment"("diskId");

-- CreateIndex
CREATE UNIQUE INDEX "DiskAttachment_vmId_diskId_key" ON "DiskAttachment"("vmId", "diskId");

-- CreateIndex
CREATE UNIQUE INDEX "Network_dataCenterId_name_key" ON "Network"("dataCenterId", "name");

-- CreateIndex
CREATE INDEX "ClusterNetwork_networkId_idx" ON "ClusterNetwork"("networkId");

-- CreateIndex
CREATE INDEX "Vm_clusterId_name_idx" ON "Vm"("clusterId", "name");

-- CreateIndex
CREATE INDEX "Vm_hostId_idx" ON "Vm"("hostId");

-- CreateIndex
CREATE INDEX "Vm_status_idx" ON "Vm"("status");

-- CreateIndex
CREATE INDEX "Vm_templateId_idx" ON "Vm"("templateId");

-- CreateIndex
CREATE UNIQUE INDEX "VmNic_macAddress_key" ON "VmNic"("macAddress");

-- CreateIndex
CREATE INDEX "VmNic_networkId_idx" ON "VmNic"("networkId");

-- CreateIndex
CREATE UNIQUE INDEX "VmNic_vmId_name_key" ON "VmNic"("vmId", "name");

-- CreateIndex
CREATE INDEX "Template_clusterId_idx" ON "Template"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "Template_name_version_key" ON "Template"("name", "version");

-- CreateIndex
CREATE INDEX "Snapshot_vmId_idx" ON "Snapshot"("vmId");

-- CreateIndex
CREATE UNIQUE INDEX "User_domain_userName_key" ON "User"("domain", "userName");

-- CreateIndex
CREATE UNIQUE INDEX "Group_domain_name_key" ON "Group"("domain", "name");

-- CreateIndex
CREATE INDEX "GroupMembership_groupId_idx" ON "GroupMembership"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "Role_name_key" ON "Role"("name");

-- CreateIndex
CREATE INDEX "Permission_objectType_objectId_idx" ON "Permission"("objectType", "objectId");

-- CreateIndex
CREATE INDEX "Permission_userId_idx" ON "Permission"("userId");

-- CreateIndex
CREATE INDEX "Permission_groupId_idx" ON "Permission"("groupId");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_severity_createdAt_idx" ON "AuditLog"("severity", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_vmId_createdAt_idx" ON "AuditLog"("vmId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_hostId_createdAt_idx" ON "AuditLog"("hostId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_startedAt_idx" ON "Job"("startedAt");

-- CreateIndex
CREATE INDEX "Step_jobId_idx" ON "Step"("jobId");

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_dataCenterId_fkey" FOREIGN KEY ("dataCenterId") REFERENCES "DataCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostNic" ADD CONSTRAINT "HostNic_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostNic" ADD CONSTRAINT "HostNic_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorageDomain" ADD CONSTRAINT "StorageDomain_dataCenterId_fkey" FOREIGN KEY ("dataCenterId") REFERENCES "DataCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disk" ADD CONSTRAINT "Disk_storageDomainId_fkey" FOREIGN KEY ("storageDomainId") REFERENCES "StorageDomain"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disk" ADD CONSTRAINT "Disk_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disk" ADD CONSTRAINT "Disk_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Disk"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiskAttachment" ADD CONSTRAINT "DiskAttachment_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiskAttachment" ADD CONSTRAINT "DiskAttachment_diskId_fkey" FOREIGN KEY ("diskId") REFERENCES "Disk"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Network" ADD CONSTRAINT "Network_dataCenterId_fkey" FOREIGN KEY ("dataCenterId") REFERENCES "DataCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterNetwork" ADD CONSTRAINT "ClusterNetwork_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterNetwork" ADD CONSTRAINT "ClusterNetwork_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmNic" ADD CONSTRAINT "VmNic_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmNic" ADD CONSTRAINT "VmNic_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Template" ADD CONSTRAINT "Template_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Snapshot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Permission" ADD CONSTRAINT "Permission_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Permission" ADD CONSTRAINT "Permission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Permission" ADD CONSTRAINT "Permission_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Step" ADD CONSTRAINT "Step_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostStatistics" ADD CONSTRAINT "HostStatistics_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmStatistics" ADD CONSTRAINT "VmStatistics_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;
