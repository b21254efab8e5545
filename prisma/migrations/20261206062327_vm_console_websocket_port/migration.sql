-- AlterTable
ALTER TABLE "VmStatistics" ADD COLUMN     "displayWebsocketPort" INTEGER;
