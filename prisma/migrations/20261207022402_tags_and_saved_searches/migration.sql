-- CreateTable
CREATE TABLE "Tag" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "colour" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmTag" (
    "tagId" UUID NOT NULL,
    "vmId" UUID NOT NULL,

    CONSTRAINT "VmTag_pkey" PRIMARY KEY ("tagId","vmId")
);

-- CreateTable
CREATE TABLE "HostTag" (
    "tagId" UUID NOT NULL,
    "hostId" UUID NOT NULL,

    CONSTRAINT "HostTag_pkey" PRIMARY KEY ("tagId","hostId")
);

-- CreateTable
CREATE TABLE "SavedSearch" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "table" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedSearch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");

-- CreateIndex
CREATE INDEX "VmTag_vmId_idx" ON "VmTag"("vmId");

-- CreateIndex
CREATE INDEX "HostTag_hostId_idx" ON "HostTag"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSearch_userId_table_name_key" ON "SavedSearch"("userId", "table", "name");

-- AddForeignKey
ALTER TABLE "VmTag" ADD CONSTRAINT "VmTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmTag" ADD CONSTRAINT "VmTag_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostTag" ADD CONSTRAINT "HostTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostTag" ADD CONSTRAINT "HostTag_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedSearch" ADD CONSTRAINT "SavedSearch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
