-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "leaseStorageDomainId" UUID;

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_leaseStorageDomainId_fkey" FOREIGN KEY ("leaseStorageDomainId") REFERENCES "StorageDomain"("id") ON DELETE SET NULL ON UPDATE CASCADE;
