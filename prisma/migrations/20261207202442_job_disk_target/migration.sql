-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "diskId" UUID,
ADD COLUMN     "storageDomainId" UUID;
