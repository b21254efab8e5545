/*
  Warnings:

  - You are about to drop the column `networkId` on the `HostNic` table. All the data in the column will be lost.

*/
-- CreateEnum
CREATE TYPE "BondMode" AS ENUM ('ACTIVE_BACKUP', 'LACP');

-- CreateEnum
CREATE TYPE "NonOperationalReason" AS ENUM ('NETWORK_UNREACHABLE');

-- DropForeignKey
ALTER TABLE "HostNic" DROP CONSTRAINT "HostNic_networkId_fkey";

-- DropIndex
DROP INDEX "HostNic_networkId_idx";

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "networkLayout" JSONB,
ADD COLUMN     "nonOperationalReason" "NonOperationalReason";

-- AlterTable
ALTER TABLE "HostNic" DROP COLUMN "networkId",
ADD COLUMN     "bondMode" "BondMode",
ADD COLUMN     "bondName" TEXT,
ADD COLUMN     "mtu" INTEGER NOT NULL DEFAULT 1500;

-- CreateTable
CREATE TABLE "HostNetworkAttachment" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "hostNicId" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "vlanId" INTEGER,
    "mtu" INTEGER NOT NULL DEFAULT 1500,

    CONSTRAINT "HostNetworkAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HostNetworkAttachment_hostNicId_idx" ON "HostNetworkAttachment"("hostNicId");

-- CreateIndex
CREATE INDEX "HostNetworkAttachment_networkId_idx" ON "HostNetworkAttachment"("networkId");

-- CreateIndex
CREATE UNIQUE INDEX "HostNetworkAttachment_hostId_networkId_key" ON "HostNetworkAttachment"("hostId", "networkId");

-- AddForeignKey
ALTER TABLE "HostNetworkAttachment" ADD CONSTRAINT "HostNetworkAttachment_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostNetworkAttachment" ADD CONSTRAINT "HostNetworkAttachment_hostNicId_fkey" FOREIGN KEY ("hostNicId") REFERENCES "HostNic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostNetworkAttachment" ADD CONSTRAINT "HostNetworkAttachment_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;
