-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "poweredOff" BOOLEAN NOT NULL DEFAULT false;
