-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "agentTokenHash" TEXT,
ADD COLUMN     "capabilities" JSONB;

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "external" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "HostSample" (
    "id" BIGSERIAL NOT NULL,
    "hostId" UUID NOT NULL,
    "sampledAt" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercent" DOUBLE PRECISION NOT NULL,
    "cpuLoad" DOUBLE PRECISION NOT NULL,
    "memUsedMb" INTEGER NOT NULL,
    "memFreeMb" INTEGER NOT NULL,
    "swapUsedMb" INTEGER NOT NULL,
    "netRxBps" DOUBLE PRECISION NOT NULL,
    "netTxBps" DOUBLE PRECISION NOT NULL,
    "runningVms" INTEGER NOT NULL,

    CONSTRAINT "HostSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmSample" (
    "id" BIGSERIAL NOT NULL,
    "vmId" UUID NOT NULL,
    "hostId" UUID,
    "sampledAt" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercent" DOUBLE PRECISION NOT NULL,
    "memUsedMb" INTEGER NOT NULL,
    "netRxBps" DOUBLE PRECISION NOT NULL,
    "netTxBps" DOUBLE PRECISION NOT NULL,
    "diskReadBps" DOUBLE PRECISION NOT NULL,
    "diskWriteBps" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "VmSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HostSample_hostId_sampledAt_idx" ON "HostSample"("hostId", "sampledAt");

-- CreateIndex
CREATE INDEX "HostSample_sampledAt_idx" ON "HostSample"("sampledAt");

-- CreateIndex
CREATE INDEX "VmSample_vmId_sampledAt_idx" ON "VmSample"("vmId", "sampledAt");

-- CreateIndex
CREATE INDEX "VmSample_sampledAt_idx" ON "VmSample"("sampledAt");
