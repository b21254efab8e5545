// Putting a tag on a VM or a host and taking it off: four actions made from one definition.
// Like oVirt, anyone who may edit the object may tag it (tags themselves are made by administrators).
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import type { Tx } from '../../db.ts';
import type { ActionGroup } from '../../auth/actionGroups.ts';
import type { AuditCode } from '../../../server/audit/auditLogTypes.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

interface Tagged {
  id: string;
  name: string;
}

/** What differs between VMs and hosts. */
interface TaggedKind {
  node: 'Vm' | 'Host';
  label: 'VM' | 'Host';
  objectType: 'VM' | 'HOST';
  actionGroup: ActionGroup;
  find(tx: Tx, id: string): Promise<Tagged | null>;
  has(tx: Tx, tagId: string, id: string): Promise<boolean>;
  attach(tx: Tx, tagId: string, id: string): Promise<unknown>;
  detach(tx: Tx, tagId: string, id: string): Promise<unknown>;
  codes: { attached: AuditCode; detached: AuditCode };
}

const VM: TaggedKind = {
  node: 'Vm',
  label: 'VM',
  objectType: 'VM',
  actionGroup: 'EDIT_VM_PROPERTIES',
  find: (tx, id) => tx.vm.findUnique({ where: { id }, select: { id: true, name: true } }),
  has: async (tx, tagId, vmId) => (await tx.vmTag.count({ where: { tagId, vmId } })) > 0,
  attach: (tx, tagId, vmId) => tx.vmTag.create({ data: { tagId, vmId } }),
  detach: (tx, tagId, vmId) => tx.vmTag.delete({ where: { tagId_vmId: { tagId, vmId } } }),
  codes: { attached: 'USER_ATTACH_TAG_TO_VM', detached: 'USER_DETACH_VM_FROM_TAG' },
};

const HOST: TaggedKind = {
  node: 'Host',
  label: 'Host',
  objectType: 'HOST',
  actionGroup: 'EDIT_HOST_CONFIGURATION',
  find: (tx, id) => tx.host.findUnique({ where: { id }, select: { id: true, name: true } }),
  has: async (tx, tagId, hostId) => (await tx.hostTag.count({ where: { tagId, hostId } })) > 0,
  attach: (tx, tagId, hostId) => tx.hostTag.create({ data: { tagId, hostId } }),
  detach: (tx, tagId, hostId) => tx.hostTag.delete({ where: { tagId_hostId: { tagId, hostId } } }),
  codes: { attached: 'USER_ATTACH_TAG_TO_VDS', detached: 'USER_DETACH_VDS_FROM_TAG' },
};

function tagAction(kind: TaggedKind, attach: boolean) {
  const verb = attach ? 'tag' : 'untag';
  const input = kind.node === 'Vm' ? 'vm' : 'host';
  return defineAction({
    type: attach ? `AttachTagTo${kind.node}` : `Detach${kind.node}FromTag`,
    title: `${verb} ${kind.label}`,
    actionGroup: kind.actionGroup,
    subject: (p) => ({ type: kind.objectType, id: p.objectId }),
    params: z.object({ objectId: nodeId(kind.node, input), tagId: nodeId('Tag', 'tag') }),
    locks: (p) => [lockKey(`${kind.node}Tag`, `${p.tagId}/${p.objectId}`)],
    objects: (p) => (kind.node === 'Vm' ? { vmId: p.objectId } : { hostId: p.objectId }),
    async validate({ tx }, p) {
      const object = found(await kind.find(tx, p.objectId), kind.node, p.objectId);
      const tag = found(await tx.tag.findUnique({ where: { id: p.tagId } }), 'Tag', p.tagId);
      const has = await kind.has(tx, tag.id, object.id);
      return [
        attach
          ? refuseWhen(has, 'TAG_ALREADY_ATTACHED', `${kind.label} ${object.name} already has tag ${tag.name}.`)
          : refuseWhen(!has, 'TAG_NOT_ATTACHED', `${kind.label} ${object.name} does not have tag ${tag.name}.`),
      ];
    },
    async execute({ tx, publish }, p) {
      await (attach ? kind.attach : kind.detach)(tx, p.tagId, p.objectId);
      publish(kind.node === 'Vm' ? 'vm:changed' : 'host:changed', { id: p.objectId, kind: 'updated' });
      const tag = await tx.tag.findUniqueOrThrow({ where: { id: p.tagId }, select: { name: true } });
      return { object: (await kind.find(tx, p.objectId))!, tagName: tag.name };
    },
    audit: (r) => ({
      code: attach ? kind.codes.attached : kind.codes.detached,
      vars: { tagName: r.tagName, [kind.node === 'Vm' ? 'vmName' : 'hostName']: r.object.name },
      objects: kind.node === 'Vm' ? { vmId: r.object.id } : { hostId: r.object.id },
    }),
    api: {
      mutation: `${verb}${kind.node}`,
      description: attach
        ? `Put a tag on a ${kind.label === 'VM' ? 'VM' : 'host'} (needs the right to edit it).`
        : `Take a tag off a ${kind.label === 'VM' ? 'VM' : 'host'} (needs the right to edit it).`,
      payload: { field: input, type: kind.node },
      result: (r) => r.object,
    },
  });
}

export const tagVm = tagAction(VM, true);
export const untagVm = tagAction(VM, false);
export const tagHost = tagAction(HOST, true);
export const untagHost = tagAction(HOST, false);
