-- CreateEnum
CREATE TYPE "BootDevice" AS ENUM ('DISK', 'CDROM', 'NETWORK');

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "bootDevices" "BootDevice"[] DEFAULT ARRAY['DISK', 'NETWORK']::"BootDevice"[],
ADD COLUMN     "cdromImageId" UUID;

-- CreateIndex
CREATE INDEX "Vm_cdromImageId_idx" ON "Vm"("cdromImageId");

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_cdromImageId_fkey" FOREIGN KEY ("cdromImageId") REFERENCES "IsoImage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
