-- Views for BI tools over storage domains (as the others in bi_views): their space now, and the
-- warehouse's samples (one a warehouse pass) rolled up per UTC hour and day. Documented in README.md.

-- Both levels, `level` saying which ('hourly' or 'daily'); the two views below are one level each.
CREATE VIEW vireo_storage_domain_stats AS SELECT
  s.level, s."storageDomainId" AS storage_domain_id, o.name AS storage_domain_name, o."domainType"::text AS domain_type,
  o."storageType"::text AS storage_type, dc.id AS data_center_id, dc.name AS data_center_name,
  s."periodStart" AS period_start, s.samples, s."lastSampledAt" AS last_sampled_at,
  s."usedBytesAvg" AS used_bytes_avg,
  s."usedBytesMax" AS used_bytes_max,
  s."usedBytesMin" AS used_bytes_min,
  s."capacityBytesAvg" AS capacity_bytes_avg,
  s."capacityBytesMax" AS capacity_bytes_max,
  s."capacityBytesMin" AS capacity_bytes_min
FROM (
  SELECT 'hourly' AS level, h.* FROM "StorageDomainStatsHourly" h
  UNION ALL
  SELECT 'daily' AS level, d.* FROM "StorageDomainStatsDaily" d
) s
LEFT JOIN "StorageDomain" o ON o.id = s."storageDomainId" LEFT JOIN "DataCenter" dc ON dc.id = o."dataCenterId";

CREATE VIEW vireo_storage_domain_hourly AS SELECT * FROM vireo_storage_domain_stats WHERE level = 'hourly';

CREATE VIEW vireo_storage_domain_daily AS SELECT * FROM vireo_storage_domain_stats WHERE level = 'daily';

CREATE VIEW vireo_storage_domain_samples AS SELECT
  s."storageDomainId" AS storage_domain_id, o.name AS storage_domain_name, dc.id AS data_center_id, dc.name AS data_center_name,
  s."sampledAt" AS sampled_at,
  s."usedBytes" AS used_bytes,
  s."capacityBytes" AS capacity_bytes
FROM "StorageDomainSample" s
LEFT JOIN "StorageDomain" o ON o.id = s."storageDomainId" LEFT JOIN "DataCenter" dc ON dc.id = o."dataCenterId";

CREATE VIEW vireo_storage_domains AS SELECT
  d.id AS storage_domain_id, d.name AS storage_domain_name, d.description, d."domainType"::text AS domain_type,
  d."storageType"::text AS storage_type, d.path, d.master, d.status::text AS status,
  dc.id AS data_center_id, dc.name AS data_center_name,
  d."capacityBytes" AS capacity_bytes, d."usedBytes" AS used_bytes, d."capacityBytes" - d."usedBytes" AS free_bytes,
  d."createdAt" AS created_at
FROM "StorageDomain" d LEFT JOIN "DataCenter" dc ON dc.id = d."dataCenterId";
