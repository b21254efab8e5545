-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "ballooningHighFreePercent" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "ballooningLowFreePercent" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "customProperties" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "ksmEnabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "ballooningEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "customProperties" JSONB NOT NULL DEFAULT '{}';
