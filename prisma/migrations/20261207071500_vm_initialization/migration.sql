-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "initialization" JSONB,
ADD COLUMN     "initializationPasswordSealed" TEXT;

-- The sealed password is a secret: no configuration revision holds it, and changing it alone makes none.
DROP TRIGGER config_revision ON "Vm";
CREATE TRIGGER config_revision AFTER INSERT OR UPDATE ON "Vm" FOR EACH ROW
  EXECUTE FUNCTION vireo_config_revision('status', 'hostId', 'migratingToHostId', 'createdAt', 'updatedAt', 'initializationPasswordSealed');
