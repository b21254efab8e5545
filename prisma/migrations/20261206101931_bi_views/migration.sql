-- Views for BI tools (oVirt's DWH is read through views too): plain snake_case names, the objects'
-- names joined in, times in UTC. Stable: columns are only ever added. Documented in README.md.

CREATE VIEW vireo_host_hourly AS SELECT
  s."hostId" AS host_id, o.name AS host_name, c.id AS cluster_id, c.name AS cluster_name, dc.name AS data_center_name,
  s."periodStart" AS period_start, s.samples, s."lastSampledAt" AS last_sampled_at,
  s."cpuPercentAvg" AS cpu_percent_avg,
  s."cpuPercentMax" AS cpu_percent_max,
  s."cpuPercentMin" AS cpu_percent_min,
  s."cpuLoadAvg" AS cpu_load_avg,
  s."cpuLoadMax" AS cpu_load_max,
  s."cpuLoadMin" AS cpu_load_min,
  s."memUsedMbAvg" AS mem_used_mb_avg,
  s."memUsedMbMax" AS mem_used_mb_max,
  s."memUsedMbMin" AS mem_used_mb_min,
  s."memFreeMbAvg" AS mem_free_mb_avg,
  s."memFreeMbMax" AS mem_free_mb_max,
  s."memFreeMbMin" AS mem_free_mb_min,
  s."swapUsedMbAvg" AS swap_used_mb_avg,
  s."swapUsedMbMax" AS swap_used_mb_max,
  s."swapUsedMbMin" AS swap_used_mb_min,
  s."netRxBpsAvg" AS net_rx_bps_avg,
  s."netRxBpsMax" AS net_rx_bps_max,
  s."netRxBpsMin" AS net_rx_bps_min,
  s."netTxBpsAvg" AS net_tx_bps_avg,
  s."netTxBpsMax" AS net_tx_bps_max,
  s."netTxBpsMin" AS net_tx_bps_min,
  s."runningVmsAvg" AS running_vms_avg,
  s."runningVmsMax" AS running_vms_max,
  s."runningVmsMin" AS running_vms_min
FROM "HostStatsHourly" s
LEFT JOIN "Host" o ON o.id = s."hostId" LEFT JOIN "Cluster" c ON c.id = o."clusterId" LEFT JOIN "DataCenter" dc ON dc.id = c."dataCenterId";

CREATE VIEW vireo_host_daily AS SELECT
  s."hostId" AS host_id, o.name AS host_name, c.id AS cluster_id, c.name AS cluster_name, dc.name AS data_center_name,
  s."periodStart" AS period_start, s.samples, s."lastSampledAt" AS last_sampled_at,
  s."cpuPercentAvg" AS cpu_percent_avg,
  s."cpuPercentMax" AS cpu_percent_max,
  s."cpuPercentMin" AS cpu_percent_min,
  s."cpuLoadAvg" AS cpu_load_avg,
  s."cpuLoadMax" AS cpu_load_max,
  s."cpuLoadMin" AS cpu_load_min,
  s."memUsedMbAvg" AS mem_used_mb_avg,
  s."memUsedMbMax" AS mem_used_mb_max,
  s."memUsedMbMin" AS mem_used_mb_min,
  s."memFreeMbAvg" AS mem_free_mb_avg,
  s."memFreeMbMax" AS mem_free_mb_max,
  s."memFreeMbMin" AS mem_free_mb_min,
  s."swapUsedMbAvg" AS swap_used_mb_avg,
  s."swapUsedMbMax" AS swap_used_mb_max,
  s."swapUsedMbMin" AS swap_used_mb_min,
  s."netRxBpsAvg" AS net_rx_bps_avg,
  s."netRxBpsMax" AS net_rx_bps_max,
  s."netRxBpsMin" AS net_rx_bps_min,
  s."netTxBpsAvg" AS net_tx_bps_avg,
  s."netTxBpsMax" AS net_tx_bps_max,
  s."netTxBpsMin" AS net_tx_bps_min,
  s."runningVmsAvg" AS running_vms_avg,
  s."runningVmsMax" AS running_vms_max,
  s."runningVmsMin" AS running_vms_min
FROM "HostStatsDaily" s
LEFT JOIN "Host" o ON o.id = s."hostId" LEFT JOIN "Cluster" c ON c.id = o."clusterId" LEFT JOIN "DataCenter" dc ON dc.id = c."dataCenterId";

CREATE VIEW vireo_host_samples AS SELECT
  s."hostId" AS host_id, o.name AS host_name, c.id AS cluster_id, c.name AS cluster_name, s."sampledAt" AS sampled_at,
  s."cpuPercent" AS cpu_percent,
  s."cpuLoad" AS cpu_load,
  s."memUsedMb" AS mem_used_mb,
  s."memFreeMb" AS mem_free_mb,
  s."swapUsedMb" AS swap_used_mb,
  s."netRxBps" AS net_rx_bps,
  s."netTxBps" AS net_tx_bps,
  s."runningVms" AS running_vms
FROM "HostSample" s
LEFT JOIN "Host" o ON o.id = s."hostId" LEFT JOIN "Cluster" c ON c.id = o."clusterId";

CREATE VIEW vireo_vm_hourly AS SELECT
  s."vmId" AS vm_id, o.name AS vm_name, c.id AS cluster_id, c.name AS cluster_name, dc.name AS data_center_name,
  s."periodStart" AS period_start, s.samples, s."lastSampledAt" AS last_sampled_at,
  s."cpuPercentAvg" AS cpu_percent_avg,
  s."cpuPercentMax" AS cpu_percent_max,
  s."cpuPercentMin" AS cpu_percent_min,
  s."memUsedMbAvg" AS mem_used_mb_avg,
  s."memUsedMbMax" AS mem_used_mb_max,
  s."memUsedMbMin" AS mem_used_mb_min,
  s."netRxBpsAvg" AS net_rx_bps_avg,
  s."netRxBpsMax" AS net_rx_bps_max,
  s."netRxBpsMin" AS net_rx_bps_min,
  s."netTxBpsAvg" AS net_tx_bps_avg,
  s."netTxBpsMax" AS net_tx_bps_max,
  s."netTxBpsMin" AS net_tx_bps_min,
  s."diskReadBpsAvg" AS disk_read_bps_avg,
  s."diskReadBpsMax" AS disk_read_bps_max,
  s."diskReadBpsMin" AS disk_read_bps_min,
  s."diskWriteBpsAvg" AS disk_write_bps_avg,
  s."diskWriteBpsMax" AS disk_write_bps_max,
  s."diskWriteBpsMin" AS disk_write_bps_min
FROM "VmStatsHourly" s
LEFT JOIN "Vm" o ON o.id = s."vmId" LEFT JOIN "Cluster" c ON c.id = o."clusterId" LEFT JOIN "DataCenter" dc ON dc.id = c."dataCenterId";

CREATE VIEW vireo_vm_daily AS SELECT
  s."vmId" AS vm_id, o.name AS vm_name, c.id AS cluster_id, c.name AS cluster_name, dc.name AS data_center_name,
  s."periodStart" AS period_start, s.samples, s."lastSampledAt" AS last_sampled_at,
  s."cpuPercentAvg" AS cpu_percent_avg,
  s."cpuPercentMax" AS cpu_percent_max,
  s."cpuPercentMin" AS cpu_percent_min,
  s."memUsedMbAvg" AS mem_used_mb_avg,
  s."memUsedMbMax" AS mem_used_mb_max,
  s."memUsedMbMin" AS mem_used_mb_min,
  s."netRxBpsAvg" AS net_rx_bps_avg,
  s."netRxBpsMax" AS net_rx_bps_max,
  s."netRxBpsMin" AS net_rx_bps_min,
  s."netTxBpsAvg" AS net_tx_bps_avg,
  s."netTxBpsMax" AS net_tx_bps_max,
  s."netTxBpsMin" AS net_tx_bps_min,
  s."diskReadBpsAvg" AS disk_read_bps_avg,
  s."diskReadBpsMax" AS disk_read_bps_max,
  s."diskReadBpsMin" AS disk_read_bps_min,
  s."diskWriteBpsAvg" AS disk_write_bps_avg,
  s."diskWriteBpsMax" AS disk_write_bps_max,
  s."diskWriteBpsMin" AS disk_write_bps_min
FROM "VmStatsDaily" s
LEFT JOIN "Vm" o ON o.id = s."vmId" LEFT JOIN "Cluster" c ON c.id = o."clusterId" LEFT JOIN "DataCenter" dc ON dc.id = c."dataCenterId";

CREATE VIEW vireo_vm_samples AS SELECT
  s."vmId" AS vm_id, o.name AS vm_name, c.id AS cluster_id, c.name AS cluster_name, s."sampledAt" AS sampled_at,
  s."cpuPercent" AS cpu_percent,
  s."memUsedMb" AS mem_used_mb,
  s."netRxBps" AS net_rx_bps,
  s."netTxBps" AS net_tx_bps,
  s."diskReadBps" AS disk_read_bps,
  s."diskWriteBps" AS disk_write_bps
FROM "VmSample" s
LEFT JOIN "Vm" o ON o.id = s."vmId" LEFT JOIN "Cluster" c ON c.id = o."clusterId";

CREATE VIEW vireo_vms AS SELECT
  v.id AS vm_id, v.name AS vm_name, v.description, v.status::text AS status, v.external,
  c.id AS cluster_id, c.name AS cluster_name, dc.id AS data_center_id, dc.name AS data_center_name,
  h.id AS host_id, h.name AS host_name, v."osType" AS os_type,
  v."cpuSockets" * v."cpuCores" * v."cpuThreads" AS vcpus, v."memoryMb" AS memory_mb, v."guaranteedMemoryMb" AS guaranteed_memory_mb,
  v."highlyAvailable" AS highly_available, v.stateless, v."createdAt" AS created_at
FROM "Vm" v JOIN "Cluster" c ON c.id = v."clusterId" JOIN "DataCenter" dc ON dc.id = c."dataCenterId" LEFT JOIN "Host" h ON h.id = v."hostId";

CREATE VIEW vireo_hosts AS SELECT
  h.id AS host_id, h.name AS host_name, h.address, h.status::text AS status,
  c.id AS cluster_id, c.name AS cluster_name, dc.id AS data_center_id, dc.name AS data_center_name,
  h."cpuModel" AS cpu_model, h."cpuSockets" * h."cpuCores" * h."cpuThreads" AS cpu_threads, h."memoryMb" AS memory_mb,
  h."osVersion" AS os_version, h."agentVersion" AS agent_version, h."lastSeenAt" AS last_seen_at, h."createdAt" AS created_at
FROM "Host" h JOIN "Cluster" c ON c.id = h."clusterId" JOIN "DataCenter" dc ON dc.id = c."dataCenterId";

CREATE VIEW vireo_clusters AS SELECT
  c.id AS cluster_id, c.name AS cluster_name, dc.id AS data_center_id, dc.name AS data_center_name, c."cpuType" AS cpu_type,
  c."memoryOvercommitPercent" AS memory_overcommit_percent, c."createdAt" AS created_at
FROM "Cluster" c JOIN "DataCenter" dc ON dc.id = c."dataCenterId";

CREATE VIEW vireo_config_history AS SELECT
  r."objectType" AS object_type, r."objectId" AS object_id, r.config->>'name' AS object_name, r."changedAt" AS changed_at, r.config
FROM "ConfigRevision" r;
