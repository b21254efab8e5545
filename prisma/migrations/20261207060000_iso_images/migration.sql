-- CreateTable
CREATE TABLE "IsoImage" (
    "id" UUID NOT NULL,
    "storageDomainId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IsoImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IsoImage_storageDomainId_name_key" ON "IsoImage"("storageDomainId", "name");

-- AddForeignKey
ALTER TABLE "IsoImage" ADD CONSTRAINT "IsoImage_storageDomainId_fkey" FOREIGN KEY ("storageDomainId") REFERENCES "StorageDomain"("id") ON DELETE CASCADE ON UPDATE CASCADE;
