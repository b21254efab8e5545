-- AlterTable
ALTER TABLE "Template" ADD COLUMN     "displayType" "DisplayType" NOT NULL DEFAULT 'VNC',
ADD COLUMN     "guaranteedMemoryMb" INTEGER NOT NULL DEFAULT 1024,
ADD COLUMN     "highlyAvailable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stateless" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "TemplateNic" (
    "id" UUID NOT NULL,
    "templateId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "networkId" UUID,
    "interface" "NicInterface" NOT NULL DEFAULT 'VIRTIO',

    CONSTRAINT "TemplateNic_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TemplateNic_networkId_idx" ON "TemplateNic"("networkId");

-- CreateIndex
CREATE UNIQUE INDEX "TemplateNic_templateId_name_key" ON "TemplateNic"("templateId", "name");

-- AddForeignKey
ALTER TABLE "TemplateNic" ADD CONSTRAINT "TemplateNic_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TemplateNic" ADD CONSTRAINT "TemplateNic_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
