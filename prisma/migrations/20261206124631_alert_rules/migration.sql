-- CreateEnum
CREATE TYPE "AlertRuleKind" AS ENUM ('THRESHOLD', 'STATUS', 'EVENT');

-- CreateEnum
CREATE TYPE "AlertSubject" AS ENUM ('HOST', 'VM', 'STORAGE_DOMAIN');

-- CreateEnum
CREATE TYPE "AlertComparison" AS ENUM ('ABOVE', 'BELOW');

-- CreateEnum
CREATE TYPE "AlertFigure" AS ENUM ('CPU_PERCENT', 'CPU_LOAD', 'MEMORY_USED_PERCENT', 'MEMORY_USED_MB', 'SWAP_USED_MB', 'FREE_PERCENT');

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "kind" "AlertRuleKind" NOT NULL,
    "subject" "AlertSubject",
    "figure" "AlertFigure",
    "comparison" "AlertComparison",
    "threshold" DOUBLE PRECISION,
    "forSeconds" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT,
    "eventCode" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "objectName" TEXT NOT NULL,
    "dataCenterId" UUID,
    "clusterId" UUID,
    "hostId" UUID,
    "vmId" UUID,
    "storageDomainId" UUID,
    "value" DOUBLE PRECISION,
    "message" TEXT NOT NULL,
    "sourceEventId" UUID,
    "firedAt" TIMESTAMPTZ(3) NOT NULL,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_name_key" ON "AlertRule"("name");

-- CreateIndex
CREATE INDEX "Alert_ruleId_resolvedAt_idx" ON "Alert"("ruleId", "resolvedAt");

-- CreateIndex
CREATE INDEX "Alert_firedAt_idx" ON "Alert"("firedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_ruleId_sourceEventId_key" ON "Alert"("ruleId", "sourceEventId");

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
