-- CreateTable
CREATE TABLE "StorageDomainSample" (
    "id" BIGSERIAL NOT NULL,
    "storageDomainId" UUID NOT NULL,
    "sampledAt" TIMESTAMPTZ(3) NOT NULL,
    "usedBytes" DOUBLE PRECISION NOT NULL,
    "capacityBytes" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "StorageDomainSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorageDomainStatsHourly" (
    "storageDomainId" UUID NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,
    "usedBytesAvg" DOUBLE PRECISION NOT NULL,
    "usedBytesMax" DOUBLE PRECISION NOT NULL,
    "usedBytesMin" DOUBLE PRECISION NOT NULL,
    "capacityBytesAvg" DOUBLE PRECISION NOT NULL,
    "capacityBytesMax" DOUBLE PRECISION NOT NULL,
    "capacityBytesMin" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "StorageDomainStatsHourly_pkey" PRIMARY KEY ("storageDomainId","periodStart")
);

-- CreateTable
CREATE TABLE "StorageDomainStatsDaily" (
    "storageDomainId" UUID NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "lastSampledAt" TIMESTAMPTZ(3) NOT NULL,
    "usedBytesAvg" DOUBLE PRECISION NOT NULL,
    "usedBytesMax" DOUBLE PRECISION NOT NULL,
    "usedBytesMin" DOUBLE PRECISION NOT NULL,
    "capacityBytesAvg" DOUBLE PRECISION NOT NULL,
    "capacityBytesMax" DOUBLE PRECISION NOT NULL,
    "capacityBytesMin" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "StorageDomainStatsDaily_pkey" PRIMARY KEY ("storageDomainId","periodStart")
);

-- CreateIndex
CREATE INDEX "StorageDomainSample_storageDomainId_sampledAt_idx" ON "StorageDomainSample"("storageDomainId", "sampledAt");

-- CreateIndex
CREATE INDEX "StorageDomainSample_sampledAt_idx" ON "StorageDomainSample"("sampledAt");

-- CreateIndex
CREATE INDEX "StorageDomainStatsHourly_periodStart_idx" ON "StorageDomainStatsHourly"("periodStart");

-- CreateIndex
CREATE INDEX "StorageDomainStatsDaily_periodStart_idx" ON "StorageDomainStatsDaily"("periodStart");
