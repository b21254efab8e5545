-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "migratingToHostId" UUID;
