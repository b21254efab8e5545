-- CreateTable
CREATE TABLE "Change" (
    "seq" BIGSERIAL NOT NULL,
    "xid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "topic" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "Change_xid_seq_idx" ON "Change"("xid", "seq");

-- CreateIndex
CREATE INDEX "Change_at_idx" ON "Change"("at");

-- The feed is written by triggers, in the transaction that makes the change.
CREATE FUNCTION vireo_change_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO "Change" ("topic", "entityId", "kind") VALUES (TG_ARGV[0], OLD."id", 'removed');
    RETURN OLD;
  END IF;
  INSERT INTO "Change" ("topic", "entityId", "kind")
  VALUES (TG_ARGV[0], NEW."id", CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'updated' END);
  RETURN NEW;
END $$;

CREATE TRIGGER "AuditLog_change_feed" AFTER INSERT ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('event');

-- Hosts and VMs: what they are and where they run, not each report's timestamps and figures.
CREATE TRIGGER "Host_change_feed_insert_delete" AFTER INSERT OR DELETE ON "Host" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('host');
CREATE TRIGGER "Host_change_feed_update" AFTER UPDATE ON "Host" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."name" IS DISTINCT FROM NEW."name" OR OLD."clusterId" IS DISTINCT FROM NEW."clusterId")
  EXECUTE FUNCTION vireo_change_feed('host');
CREATE TRIGGER "Vm_change_feed_insert_delete" AFTER INSERT OR DELETE ON "Vm" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('vm');
CREATE TRIGGER "Vm_change_feed_update" AFTER UPDATE ON "Vm" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."name" IS DISTINCT FROM NEW."name" OR OLD."hostId" IS DISTINCT FROM NEW."hostId")
  EXECUTE FUNCTION vireo_change_feed('vm');

CREATE TRIGGER "DataCenter_change_feed" AFTER INSERT OR UPDATE OR DELETE ON "DataCenter" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('dataCenter');
CREATE TRIGGER "Cluster_change_feed" AFTER INSERT OR UPDATE OR DELETE ON "Cluster" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('cluster');
CREATE TRIGGER "StorageDomain_change_feed" AFTER INSERT OR UPDATE OR DELETE ON "StorageDomain" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('storageDomain');
CREATE TRIGGER "Network_change_feed" AFTER INSERT OR UPDATE OR DELETE ON "Network" FOR EACH ROW EXECUTE FUNCTION vireo_change_feed('network');
