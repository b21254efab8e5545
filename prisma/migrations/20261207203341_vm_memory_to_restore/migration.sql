-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "memoryToRestoreId" UUID;
