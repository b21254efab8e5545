import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { networkSettings } from './networkSettings.ts';

export const addNetwork = defineAction({
  type: 'AddNetwork',
  title: 'add Network',
  actionGroup: 'CREATE_STORAGE_POOL_NETWORK',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({
    name: objectName.max(15, 'must be at most 15 characters (a Linux bridge name)'),
    dataCenterId: nodeId('DataCenter', 'dataCenter'),
    ...networkSettings,
    /** Clusters to attach it to; `required` networks must be present on every host of the cluster. */
    clusters: z
      .array(
        z
          .object({
            clusterId: nodeId('Cluster', 'cluster'),
            required: z.boolean().default(true).describe('Every host of the cluster must carry it (default true).'),
          })
          .meta({ graphql: 'NetworkClusterInput' }),
      )
      .default([]),
  }),
  locks: (p) => [lockKey('NetworkName', `${p.dataCenterId}/${p.name}`)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    const dc = found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    const clusterIds = p.clusters.map((c) => c.clusterId);
    const inDc = await tx.cluster.count({ where: { id: { in: clusterIds }, dataCenterId: p.dataCenterId } });
    const vlanTaken = p.vlanId != null && (await tx.network.count({ where: { dataCenterId: p.dataCenterId, vlanId: p.vlanId } })) > 0;
    return [
      nameFree(
        (await tx.network.count({ where: { dataCenterId: p.dataCenterId, name: p.name } })) > 0,
        'Network',
        p.name,
        `Data Center ${dc.name}`,
      ),
      refuseWhen(vlanTaken, 'NETWORK_VLAN_IN_USE', `VLAN ${p.vlanId} is already used by another network of Data Center ${dc.name}.`),
      refuseWhen(
        inDc !== new Set(clusterIds).size,
        'CLUSTER_NOT_IN_DATA_CENTER',
        "Every cluster must exist and belong to the network's data center.",
      ),
    ];
  },
  async execute({ tx, publish }, { clusters, ...data }) {
    const network = await tx.network.create({ data, include: { dataCenter: true } });
    if (clusters.length) await tx.clusterNetwork.createMany({ data: clusters.map((c) => ({ ...c, networkId: network.id })) });
    publish('network:changed', { id: network.id, kind: 'created' });
    return network;
  },
  audit: (n) => ({
    code: 'NETWORK_ADD_NETWORK',
    vars: { networkName: n.name, dataCenterName: n.dataCenter.name },
    objects: { dataCenterId: n.dataCenterId },
  }),
  api: {
    mutation: 'addNetwork',
    description: 'Add a logical network to a data center, optionally attached to clusters.',
    payload: { field: 'network', type: 'Network' },
  },
});
