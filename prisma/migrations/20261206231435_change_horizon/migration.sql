-- CreateTable
CREATE TABLE "ChangeHorizon" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "xid" BIGINT NOT NULL,
    "seq" BIGINT NOT NULL,
    "prunedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChangeHorizon_pkey" PRIMARY KEY ("id")
);
