/*
  Warnings:

  - A unique constraint covering the columns `[importSource]` on the table `Vm` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "importSource" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Vm_importSource_key" ON "Vm"("importSource");
