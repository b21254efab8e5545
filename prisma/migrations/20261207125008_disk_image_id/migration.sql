-- AlterTable
ALTER TABLE "Disk" ADD COLUMN     "imageId" UUID;
