-- CreateTable
CREATE TABLE "ConfigRevision" (
    "id" BIGSERIAL NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" UUID NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "config" JSONB NOT NULL,

    CONSTRAINT "ConfigRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConfigRevision_objectType_objectId_changedAt_idx" ON "ConfigRevision"("objectType", "objectId", "changedAt");

-- Every creation and every change of configuration of a VM, host or cluster becomes a revision,
-- in the transaction that made it. The trigger's arguments are the columns that are not
-- configuration (runtime state, secrets, timestamps): a change of those alone is no revision.
CREATE FUNCTION vireo_config_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cfg jsonb := to_jsonb(NEW) - TG_ARGV::text[];
BEGIN
  IF TG_OP = 'UPDATE' AND cfg = to_jsonb(OLD) - TG_ARGV::text[] THEN
    RETURN NULL;
  END IF;
  INSERT INTO "ConfigRevision" ("objectType", "objectId", "changedAt", config) VALUES (TG_TABLE_NAME, NEW.id, clock_timestamp(), cfg);
  RETURN NULL;
END $$;

CREATE TRIGGER config_revision AFTER INSERT OR UPDATE ON "Vm" FOR EACH ROW
  EXECUTE FUNCTION vireo_config_revision('status', 'hostId', 'migratingToHostId', 'createdAt', 'updatedAt');
CREATE TRIGGER config_revision AFTER INSERT OR UPDATE ON "Host" FOR EACH ROW
  EXECUTE FUNCTION vireo_config_revision('status', 'statusReason', 'spm', 'lastSeenAt', 'agentTokenHash', 'capabilities', 'nonOperationalReason', 'createdAt', 'updatedAt');
CREATE TRIGGER config_revision AFTER INSERT OR UPDATE ON "Cluster" FOR EACH ROW
  EXECUTE FUNCTION vireo_config_revision('createdAt', 'updatedAt');

-- What exists already: its configuration as of its creation's time (the first revision known).
INSERT INTO "ConfigRevision" ("objectType", "objectId", "changedAt", config)
  SELECT 'Vm', id, "createdAt", to_jsonb(v) - ARRAY['status', 'hostId', 'migratingToHostId', 'createdAt', 'updatedAt'] FROM "Vm" v;
INSERT INTO "ConfigRevision" ("objectType", "objectId", "changedAt", config)
  SELECT 'Host', id, "createdAt", to_jsonb(h) - ARRAY['status', 'statusReason', 'spm', 'lastSeenAt', 'agentTokenHash', 'capabilities', 'nonOperationalReason', 'createdAt', 'updatedAt'] FROM "Host" h;
INSERT INTO "ConfigRevision" ("objectType", "objectId", "changedAt", config)
  SELECT 'Cluster', id, "createdAt", to_jsonb(c) - ARRAY['createdAt', 'updatedAt'] FROM "Cluster" c;
