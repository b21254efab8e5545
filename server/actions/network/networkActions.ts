import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { MANAGEMENT_NETWORK } from '../../network/managementNetwork.ts';
import { lockKey } from '../locks.ts';
import { description, id, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';


const fields = {
  description: description.optional(),
  vlanId: z.number().int().min(0).max(4094, 'VLAN ids run from 0 to 4094').nullable().optional(),
  mtu: z.number().int().min(68, 'must be at least 68').max(9000, 'must be at most 9000').optional(),
  vmNetwork: z.boolean().optional(),
};

export const addNetwork = defineAction({
  type: 'AddNetwork',
  title: 'add Network',
  actionGroup: 'CREATE_STORAGE_POOL_NETWORK',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({
    name: objectName.max(15, 'must be at most 15 characters (a Linux bridge name)'),
    dataCenterId: id,
    ...fields,
    /** Clusters to attach it to; `required` networks must be present on every host of the cluster. */
    clusters: z.array(z.object({ clusterId: id, required: z.boolean().default(true) })).default([]),
  }),
  locks: (p) => [lockKey('NetworkName', `${p.dataCenterId}/${p.name}`)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    const dc = found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    const clusterIds = p.clusters.map((c) => c.clusterId);
    const inDc = await tx.cluster.count({ where: { id: { in: clusterIds }, dataCenterId: p.dataCenterId } });
    const vlanTaken = p.vlanId != null && (await tx.network.count({ where: { dataCenterId: p.dataCenterId, vlanId: p.vlanId } })) > 0;
    return [
      nameFree((await tx.network.count({ where: { dataCenterId: p.dataCenterId, name: p.name } })) > 0, 'Network', p.name, `Data Center ${dc.name}`),
      refuseWhen(vlanTaken, 'NETWORK_VLAN_IN_USE', `VLAN ${p.vlanId} is already used by another network of Data Center ${dc.name}.`),
      refuseWhen(inDc !== new Set(clusterIds).size, 'CLUSTER_NOT_IN_DATA_CENTER', 'Every cluster must exist and belong to the network\'s data center.'),
    ];
  },
  async execute({ tx, publish }, { clusters, ...data }) {
    const network = await tx.network.create({ data, include: { dataCenter: true } });
    if (clusters.length) await tx.clusterNetwork.createMany({ data: clusters.map((c) => ({ ...c, networkId: network.id })) });
    publish('network:changed', { id: network.id, kind: 'created' });
    return network;
  },
  audit: (n) => ({ code: 'NETWORK_ADD_NETWORK', vars: { networkName: n.name, dataCenterName: n.dataCenter.name }, objects: { dataCenterId: n.dataCenterId } }),
});

export const updateNetwork = defineAction({
  type: 'UpdateNetwork',
  title: 'update Network',
  actionGroup: 'CONFIGURE_STORAGE_POOL_NETWORK',
  subject: (p) => ({ type: 'NETWORK', id: p.networkId }),
  params: z.object({ networkId: id, name: objectName.max(15).optional(), ...fields }),
  locks: (p) => [lockKey('Network', p.networkId)],
  async validate({ tx }, p) {
    const n = found(await tx.network.findUnique({ where: { id: p.networkId } }), 'Network', p.networkId);
    const others = { dataCenterId: n.dataCenterId, id: { not: n.id } };
    return [
      refuseWhen(n.name === MANAGEMENT_NETWORK && !!p.name && p.name !== n.name, 'NETWORK_IS_MANAGEMENT', 'The management network cannot be renamed.'),
      nameFree(!!p.name && (await tx.network.count({ where: { ...others, name: p.name } })) > 0, 'Network', p.name ?? ''),
      refuseWhen(p.vlanId != null && (await tx.network.count({ where: { ...others, vlanId: p.vlanId } })) > 0,
        'NETWORK_VLAN_IN_USE', `VLAN ${p.vlanId} is already used by another network of the data center.`),
    ];
  },
  async execute({ tx, publish }, { networkId, ...data }) {
    const network = await tx.network.update({ where: { id: networkId }, data, include: { dataCenter: true } });
    publish('network:changed', { id: network.id, kind: 'updated' });
    return network;
  },
  audit: (n) => ({ code: 'NETWORK_UPDATE_NETWORK', vars: { networkName: n.name }, objects: { dataCenterId: n.dataCenterId } }),
});

export const removeNetwork = defineAction({
  type: 'RemoveNetwork',
  title: 'remove Network',
  actionGroup: 'DELETE_STORAGE_POOL_NETWORK',
  subject: (p) => ({ type: 'NETWORK', id: p.networkId }),
  params: z.object({ networkId: id }),
  locks: (p) => [lockKey('Network', p.networkId)],
  async validate({ tx }, p) {
    const n = found(await tx.network.findUnique({ where: { id: p.networkId }, include: { _count: { select: { vmNics: true, hostAttachments: true, templateNics: true } } } }),
      'Network', p.networkId);
    return [
      refuseWhen(n.name === MANAGEMENT_NETWORK, 'NETWORK_IS_MANAGEMENT', 'The management network cannot be removed.'),
      refuseWhen(n._count.vmNics > 0, 'NETWORK_IN_USE_BY_VMS', `Network ${n.name} is used by ${n._count.vmNics} VM NIC(s).`),
      refuseWhen(n._count.templateNics > 0, 'NETWORK_IN_USE_BY_TEMPLATES', `Network ${n.name} is used by ${n._count.templateNics} template NIC(s).`),
      refuseWhen(n._count.hostAttachments > 0, 'NETWORK_IN_USE_BY_HOSTS', `Network ${n.name} is attached to ${n._count.hostAttachments} host(s).`),
    ];
  },
  async execute({ tx, publish }, p) {
    const network = await tx.network.delete({ where: { id: p.networkId }, include: { dataCenter: true } });
    publish('network:changed', { id: network.id, kind: 'removed' });
    return network;
  },
  audit: (n) => ({ code: 'NETWORK_REMOVE_NETWORK', vars: { networkName: n.name, dataCenterName: n.dataCenter.name }, objects: { dataCenterId: n.dataCenterId } }),
});
