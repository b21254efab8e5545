-- CreateTable
CREATE TABLE "HostStatsHourly" (
    "hostId" UUID NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercentAvg" DOUBLE PRECISION NOT NULL,
    "cpuPercentMax" DOUBLE PRECISION NOT NULL,
    "cpuPercentMin" DOUBLE PRECISION NOT NULL,
    "cpuLoadAvg" DOUBLE PRECISION NOT NULL,
    "cpuLoadMax" DOUBLE PRECISION NOT NULL,
    "cpuLoadMin" DOUBLE PRECISION NOT NULL,
    "memUsedMbAvg" DOUBLE PRECISION NOT NULL,
    "memUsedMbMax" DOUBLE PRECISION NOT NULL,
    "memUsedMbMin" DOUBLE PRECISION NOT NULL,
    "memFreeMbAvg" DOUBLE PRECISION NOT NULL,
    "memFreeMbMax" DOUBLE PRECISION NOT NULL,
    "memFreeMbMin" DOUBLE PRECISION NOT NULL,
    "swapUsedMbAvg" DOUBLE PRECISION NOT NULL,
    "swapUsedMbMax" DOUBLE PRECISION NOT NULL,
    "swapUsedMbMin" DOUBLE PRECISION NOT NULL,
    "netRxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netRxBpsMax" DOUBLE PRECISION NOT NULL,
    "netRxBpsMin" DOUBLE PRECISION NOT NULL,
    "netTxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netTxBpsMax" DOUBLE PRECISION NOT NULL,
    "netTxBpsMin" DOUBLE PRECISION NOT NULL,
    "runningVmsAvg" DOUBLE PRECISION NOT NULL,
    "runningVmsMax" DOUBLE PRECISION NOT NULL,
    "runningVmsMin" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "HostStatsHourly_pkey" PRIMARY KEY ("hostId","periodStart")
);

-- CreateTable
CREATE TABLE "HostStatsDaily" (
    "hostId" UUID NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercentAvg" DOUBLE PRECISION NOT NULL,
    "cpuPercentMax" DOUBLE PRECISION NOT NULL,
    "cpuPercentMin" DOUBLE PRECISION NOT NULL,
    "cpuLoadAvg" DOUBLE PRECISION NOT NULL,
    "cpuLoadMax" DOUBLE PRECISION NOT NULL,
    "cpuLoadMin" DOUBLE PRECISION NOT NULL,
    "memUsedMbAvg" DOUBLE PRECISION NOT NULL,
    "memUsedMbMax" DOUBLE PRECISION NOT NULL,
    "memUsedMbMin" DOUBLE PRECISION NOT NULL,
    "memFreeMbAvg" DOUBLE PRECISION NOT NULL,
    "memFreeMbMax" DOUBLE PRECISION NOT NULL,
    "memFreeMbMin" DOUBLE PRECISION NOT NULL,
    "swapUsedMbAvg" DOUBLE PRECISION NOT NULL,
    "swapUsedMbMax" DOUBLE PRECISION NOT NULL,
    "swapUsedMbMin" DOUBLE PRECISION NOT NULL,
    "netRxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netRxBpsMax" DOUBLE PRECISION NOT NULL,
    "netRxBpsMin" DOUBLE PRECISION NOT NULL,
    "netTxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netTxBpsMax" DOUBLE PRECISION NOT NULL,
    "netTxBpsMin" DOUBLE PRECISION NOT NULL,
    "runningVmsAvg" DOUBLE PRECISION NOT NULL,
    "runningVmsMax" DOUBLE PRECISION NOT NULL,
    "runningVmsMin" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "HostStatsDaily_pkey" PRIMARY KEY ("hostId","periodStart")
);

-- CreateTable
CREATE TABLE "VmStatsHourly" (
    "vmId" UUID NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercentAvg" DOUBLE PRECISION NOT NULL,
    "cpuPercentMax" DOUBLE PRECISION NOT NULL,
    "cpuPercentMin" DOUBLE PRECISION NOT NULL,
    "memUsedMbAvg" DOUBLE PRECISION NOT NULL,
    "memUsedMbMax" DOUBLE PRECISION NOT NULL,
    "memUsedMbMin" DOUBLE PRECISION NOT NULL,
    "netRxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netRxBpsMax" DOUBLE PRECISION NOT NULL,
    "netRxBpsMin" DOUBLE PRECISION NOT NULL,
    "netTxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netTxBpsMax" DOUBLE PRECISION NOT NULL,
    "netTxBpsMin" DOUBLE PRECISION NOT NULL,
    "diskReadBpsAvg" DOUBLE PRECISION NOT NULL,
    "diskReadBpsMax" DOUBLE PRECISION NOT NULL,
    "diskReadBpsMin" DOUBLE PRECISION NOT NULL,
    "diskWriteBpsAvg" DOUBLE PRECISION NOT NULL,
    "diskWriteBpsMax" DOUBLE PRECISION NOT NULL,
    "diskWriteBpsMin" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "VmStatsHourly_pkey" PRIMARY KEY ("vmId","periodStart")
);

-- CreateTable
CREATE TABLE "VmStatsDaily" (
    "vmId" UUID NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercentAvg" DOUBLE PRECISION NOT NULL,
    "cpuPercentMax" DOUBLE PRECISION NOT NULL,
    "cpuPercentMin" DOUBLE PRECISION NOT NULL,
    "memUsedMbAvg" DOUBLE PRECISION NOT NULL,
    "memUsedMbMax" DOUBLE PRECISION NOT NULL,
    "memUsedMbMin" DOUBLE PRECISION NOT NULL,
    "netRxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netRxBpsMax" DOUBLE PRECISION NOT NULL,
    "netRxBpsMin" DOUBLE PRECISION NOT NULL,
    "netTxBpsAvg" DOUBLE PRECISION NOT NULL,
    "netTxBpsMax" DOUBLE PRECISION NOT NULL,
    "netTxBpsMin" DOUBLE PRECISION NOT NULL,
    "diskReadBpsAvg" DOUBLE PRECISION NOT NULL,
    "diskReadBpsMax" DOUBLE PRECISION NOT NULL,
    "diskReadBpsMin" DOUBLE PRECISION NOT NULL,
    "diskWriteBpsAvg" DOUBLE PRECISION NOT NULL,
    "diskWriteBpsMax" DOUBLE PRECISION NOT NULL,
    "diskWriteBpsMin" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "VmStatsDaily_pkey" PRIMARY KEY ("vmId","periodStart")
);

-- CreateTable
CREATE TABLE "WarehouseMark" (
    "level" TEXT NOT NULL,
    "upTo" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WarehouseMark_pkey" PRIMARY KEY ("level")
);

-- CreateIndex
CREATE INDEX "HostStatsHourly_periodStart_idx" ON "HostStatsHourly"("periodStart");

-- CreateIndex
CREATE INDEX "HostStatsDaily_periodStart_idx" ON "HostStatsDaily"("periodStart");

-- CreateIndex
CREATE INDEX "VmStatsHourly_periodStart_idx" ON "VmStatsHourly"("periodStart");

-- CreateIndex
CREATE INDEX "VmStatsDaily_periodStart_idx" ON "VmStatsDaily"("periodStart");
