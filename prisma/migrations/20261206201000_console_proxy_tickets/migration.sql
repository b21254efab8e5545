-- CreateTable
CREATE TABLE "ConsoleProxyTicket" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "vmId" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "userName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsoleProxyTicket_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleProxyTicket_tokenHash_key" ON "ConsoleProxyTicket"("tokenHash");

-- CreateIndex
CREATE INDEX "ConsoleProxyTicket_expiresAt_idx" ON "ConsoleProxyTicket"("expiresAt");
