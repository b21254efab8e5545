-- CreateEnum
CREATE TYPE "AffinityPolarity" AS ENUM ('POSITIVE', 'NEGATIVE', 'DISABLED');

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "cpuOverloadMinutes" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "highUtilizationPercent" INTEGER NOT NULL DEFAULT 80,
ADD COLUMN     "lowUtilizationPercent" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "maxVmCountDifference" INTEGER NOT NULL DEFAULT 3;

-- CreateTable
CREATE TABLE "AffinityGroup" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "clusterId" UUID NOT NULL,
    "vmPolarity" "AffinityPolarity" NOT NULL DEFAULT 'DISABLED',
    "vmEnforcing" BOOLEAN NOT NULL DEFAULT false,
    "hostPolarity" "AffinityPolarity" NOT NULL DEFAULT 'DISABLED',
    "hostEnforcing" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AffinityGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AffinityGroupVm" (
    "groupId" UUID NOT NULL,
    "vmId" UUID NOT NULL,

    CONSTRAINT "AffinityGroupVm_pkey" PRIMARY KEY ("groupId","vmId")
);

-- CreateTable
CREATE TABLE "AffinityGroupHost" (
    "groupId" UUID NOT NULL,
    "hostId" UUID NOT NULL,

    CONSTRAINT "AffinityGroupHost_pkey" PRIMARY KEY ("groupId","hostId")
);

-- CreateIndex
CREATE UNIQUE INDEX "AffinityGroup_clusterId_name_key" ON "AffinityGroup"("clusterId", "name");

-- CreateIndex
CREATE INDEX "AffinityGroupVm_vmId_idx" ON "AffinityGroupVm"("vmId");

-- CreateIndex
CREATE INDEX "AffinityGroupHost_hostId_idx" ON "AffinityGroupHost"("hostId");

-- AddForeignKey
ALTER TABLE "AffinityGroup" ADD CONSTRAINT "AffinityGroup_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffinityGroupVm" ADD CONSTRAINT "AffinityGroupVm_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AffinityGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffinityGroupVm" ADD CONSTRAINT "AffinityGroupVm_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffinityGroupHost" ADD CONSTRAINT "AffinityGroupHost_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AffinityGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffinityGroupHost" ADD CONSTRAINT "AffinityGroupHost_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
