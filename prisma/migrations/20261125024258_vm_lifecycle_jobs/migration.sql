-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "hostId" UUID,
ADD COLUMN     "vmId" UUID;

-- CreateTable
CREATE TABLE "CompensationSnapshot" (
    "id" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "before" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CompensationSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CompensationSnapshot_jobId_idx" ON "CompensationSnapshot"("jobId");

-- CreateIndex
CREATE INDEX "Job_status_idx" ON "Job"("status");

-- AddForeignKey
ALTER TABLE "CompensationSnapshot" ADD CONSTRAINT "CompensationSnapshot_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
