-- AlterTable
ALTER TABLE "StorageDomain" ADD COLUMN     "mountOptions" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "reachedByHosts" BOOLEAN NOT NULL DEFAULT false;

-- Local and POSIX domains were always reached by the hosts; NFS and the others were labels.
UPDATE "StorageDomain" SET "reachedByHosts" = true WHERE "storageType" IN ('LOCALFS', 'POSIXFS');
