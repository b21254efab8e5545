-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "powerSavingIdleMinutes" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "powerSavingSpareHosts" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "emptySince" TIMESTAMPTZ(3),
ADD COLUMN     "powerSavingOff" BOOLEAN NOT NULL DEFAULT false;
