import type { FilterUnit } from '../types.ts';

export const clusterMaintenance: FilterUnit = {
  name: 'ClusterMaintenance',
  description: 'Under the cluster_maintenance policy only highly available VMs start; running VMs may still migrate.',
  filter: (host, vm, policy) =>
    policy.schedulingPolicy === 'cluster_maintenance' && !vm.running && !vm.highlyAvailable
      ? {
          code: 'CLUSTER_IN_MAINTENANCE',
          message: `host ${host.name}: the cluster is in maintenance (policy cluster_maintenance); only highly available VMs start.`,
        }
      : null,
};
