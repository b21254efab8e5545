import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { id, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import type { HostStatus } from '../../../generated/prisma/enums.ts';

const address = z.string().min(1).max(255).regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or an IP address');

/** Statuses in which a host may be removed (oVirt: it must not be serving VMs or storage). */
const REMOVABLE: HostStatus[] = ['MAINTENANCE', 'DOWN', 'INSTALL_FAILED', 'NON_RESPONSIVE', 'INSTALLING', 'UNASSIGNED'];

export const addHost = defineAction({
  type: 'AddVds',
  title: 'add Host',
  actionGroup: 'CREATE_HOST',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({ name: objectName, address, clusterId: id }),
  locks: (p) => [lockKey('HostName', p.name), lockKey('HostAddress', p.address), lockKey('Cluster', p.clusterId)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
    return [
      nameFree((await tx.host.count({ where: { name: p.name } })) > 0, 'Host', p.name),
      refuseWhen((await tx.host.count({ where: { address: p.address } })) > 0, 'HOST_ADDRESS_ALREADY_USED',
        `Another host already has the address ${p.address}.`),
    ];
  },
  async execute({ tx, publish }, p) {
    // The host waits for its agent to register; monitoring brings it Up.
    const host = await tx.host.create({ data: { ...p, status: 'INSTALLING', statusReason: 'Waiting for the host agent to register.' },
      include: { cluster: true } });
    publish('host:changed', { id: host.id, kind: 'created' });
    return host;
  },
  audit: (h) => ({ code: 'USER_ADD_VDS', vars: { hostName: h.name }, objects: { hostId: h.id, clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId } }),
});

export const updateHost = defineAction({
  type: 'UpdateVds',
  title: 'update Host',
  actionGroup: 'EDIT_HOST_CONFIGURATION',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({ hostId: id, name: objectName.optional(), address: address.optional(), clusterId: id.optional() }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(await tx.host.findUnique({ where: { id: p.hostId }, include: { cluster: true } }), 'Host', p.hostId);
    const target = p.clusterId && p.clusterId !== host.clusterId
      ? found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId) : null;
    const others = { id: { not: p.hostId } };
    return [
      nameFree(!!p.name && (await tx.host.count({ where: { name: p.name, ...others } })) > 0, 'Host', p.name ?? ''),
      refuseWhen(!!p.address && (await tx.host.count({ where: { address: p.address, ...others } })) > 0,
        'HOST_ADDRESS_ALREADY_USED', `Another host already has the address ${p.address}.`),
      refuseWhen(!!target && host.status !== 'MAINTENANCE', 'HOST_NOT_IN_MAINTENANCE',
        `Host ${host.name} must be in maintenance to move to another cluster.`),
      refuseWhen(!!target && target.dataCenterId !== host.cluster.dataCenterId, 'CLUSTER_IN_OTHER_DATA_CENTER',
        'A host can move only to a cluster of the same data center.'),
    ];
  },
  async execute({ tx, publish }, { hostId, ...data }) {
    const host = await tx.host.update({ where: { id: hostId }, data, include: { cluster: true } });
    publish('host:changed', { id: host.id, kind: 'updated' });
    return host;
  },
  audit: (h) => ({ code: 'USER_UPDATE_VDS', vars: { hostName: h.name }, objects: { hostId: h.id, clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId } }),
});

export const removeHost = defineAction({
  type: 'RemoveVds',
  title: 'remove Host',
  actionGroup: 'DELETE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({ hostId: id }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(await tx.host.findUnique({ where: { id: p.hostId }, include: { _count: { select: { vms: true } } } }), 'Host', p.hostId);
    return [
      refuseWhen(host._count.vms > 0, 'HOST_HAS_RUNNING_VMS', `Host ${host.name} is running ${host._count.vms} VM(s).`),
      refuseWhen(!REMOVABLE.includes(host.status), 'HOST_NOT_IN_MAINTENANCE', `Host ${host.name} is ${host.status}; move it to maintenance first.`),
    ];
  },
  async execute({ tx, publish }, p) {
    const host = await tx.host.delete({ where: { id: p.hostId }, include: { cluster: true } });
    publish('host:changed', { id: host.id, kind: 'removed' });
    return host;
  },
  audit: (h) => ({ code: 'USER_REMOVE_VDS', vars: { hostName: h.name }, objects: { clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId } }),
});
