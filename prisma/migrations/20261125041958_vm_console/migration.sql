-- CreateEnum
CREATE TYPE "DisplayType" AS ENUM ('VNC', 'SPICE');

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "displayType" "DisplayType" NOT NULL DEFAULT 'VNC';

-- AlterTable
ALTER TABLE "VmStatistics" ADD COLUMN     "displayAddress" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "displayPort" INTEGER,
ADD COLUMN     "displayTlsPort" INTEGER,
ADD COLUMN     "displayType" "DisplayType";
