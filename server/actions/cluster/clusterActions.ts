import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { description, found, id, nameFree, objectName, refuseWhen } from '../../validators/common.ts';

import { SCHEDULING_POLICIES, unsupportedPolicy } from '../../scheduler/policies.ts';

const fields = {
  description: description.optional(),
  cpuType: z.string().min(1).max(128).optional(),
  memoryOvercommitPercent: z.number().int().min(100, 'must be at least 100').max(400, 'must be at most 400').optional(),
  schedulingPolicy: z.enum(SCHEDULING_POLICIES).optional(),
  haReservation: z.boolean().optional(),
  ballooningEnabled: z.boolean().optional(),
};

export const addCluster = defineAction({
  type: 'AddCluster',
  title: 'add Cluster',
  actionGroup: 'CREATE_CLUSTER',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({ name: objectName, dataCenterId: id, ...fields }),
  locks: (p) => [lockKey('ClusterName', p.name), lockKey('DataCenter', p.dataCenterId)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    return [nameFree((await tx.cluster.count({ where: { name: p.name } })) > 0, 'Cluster', p.name), unsupportedPolicy(p.schedulingPolicy)];
  },
  async execute({ tx, publish }, p) {
    const cluster = await tx.cluster.create({ data: p });
    // A new cluster gets the data center's management network, required, as in oVirt.
    const mgmt = await tx.network.findFirst({ where: { dataCenterId: p.dataCenterId, name: 'ovirtmgmt' } });
    if (mgmt) await tx.clusterNetwork.create({ data: { clusterId: cluster.id, networkId: mgmt.id, required: true, display: true, migration: true } });
    publish('cluster:changed', { id: cluster.id, kind: 'created' });
    return cluster;
  },
  audit: (c) => ({ code: 'USER_ADD_CLUSTER', vars: { clusterName: c.name }, objects: { clusterId: c.id, dataCenterId: c.dataCenterId } }),
});

export const updateCluster = defineAction({
  type: 'UpdateCluster',
  title: 'update Cluster',
  actionGroup: 'EDIT_CLUSTER_CONFIGURATION',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({ clusterId: id, name: objectName.optional(), ...fields }),
  locks: (p) => [lockKey('Cluster', p.clusterId)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
    const taken = p.name ? await tx.cluster.count({ where: { name: p.name, id: { not: p.clusterId } } }) : 0;
    return [nameFree(taken > 0, 'Cluster', p.name ?? ''), unsupportedPolicy(p.schedulingPolicy)];
  },
  async execute({ tx, publish }, { clusterId, ...data }) {
    const cluster = await tx.cluster.update({ where: { id: clusterId }, data });
    publish('cluster:changed', { id: cluster.id, kind: 'updated' });
    return cluster;
  },
  audit: (c) => ({ code: 'USER_UPDATE_CLUSTER', vars: { clusterName: c.name }, objects: { clusterId: c.id, dataCenterId: c.dataCenterId } }),
});

export const removeCluster = defineAction({
  type: 'RemoveCluster',
  title: 'remove Cluster',
  actionGroup: 'DELETE_CLUSTER',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({ clusterId: id }),
  locks: (p) => [lockKey('Cluster', p.clusterId)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    const c = found(await tx.cluster.findUnique({ where: { id: p.clusterId },
      include: { _count: { select: { hosts: true, vms: true, templates: true } } } }), 'Cluster', p.clusterId);
    return [
      refuseWhen(c._count.hosts > 0, 'CLUSTER_HAS_HOSTS', `Cluster ${c.name} still has ${c._count.hosts} host(s); remove them first.`),
      refuseWhen(c._count.vms > 0, 'CLUSTER_HAS_VMS', `Cluster ${c.name} still has ${c._count.vms} VM(s); remove them first.`),
      refuseWhen(c._count.templates > 0, 'CLUSTER_HAS_TEMPLATES', `Cluster ${c.name} still has ${c._count.templates} template(s).`),
    ];
  },
  async execute({ tx, publish }, p) {
    const c = await tx.cluster.delete({ where: { id: p.clusterId } });
    publish('cluster:changed', { id: c.id, kind: 'removed' });
    return c;
  },
  audit: (c) => ({ code: 'USER_REMOVE_CLUSTER', vars: { clusterName: c.name }, objects: { dataCenterId: c.dataCenterId } }),
});
