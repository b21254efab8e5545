-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "fencingEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "fencingSkipPercent" INTEGER NOT NULL DEFAULT 50;

-- CreateTable
CREATE TABLE "FenceAgent" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "order" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" TEXT NOT NULL DEFAULT '',
    "username" TEXT NOT NULL DEFAULT '',
    "passwordEncrypted" TEXT NOT NULL DEFAULT '',
    "options" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FenceAgent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HaRestart" (
    "vmId" UUID NOT NULL,
    "fromHostId" UUID,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "HaRestart_pkey" PRIMARY KEY ("vmId")
);

-- CreateIndex
CREATE INDEX "FenceAgent_hostId_idx" ON "FenceAgent"("hostId");

-- AddForeignKey
ALTER TABLE "FenceAgent" ADD CONSTRAINT "FenceAgent_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HaRestart" ADD CONSTRAINT "HaRestart_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;
