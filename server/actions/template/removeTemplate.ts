// oVirt's RemoveVmTemplate: a template no VM uses, with its disks and their base images (removed
// by the SPM after the commit). A template whose images still back thin volumes is refused.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { deleteVolumes, disksUsable } from '../disk/volumes.ts';
import { removeVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';

export const removeTemplate = defineAction({
  type: 'RemoveVmTemplate',
  title: 'remove Template',
  actionGroup: 'DELETE_TEMPLATE',
  subject: (p) => ({ type: 'TEMPLATE', id: p.templateId }),
  params: z.object({ templateId: nodeId('Template', 'id') }),
  locks: (p) => [lockKey('Template', p.templateId)],
  objects: (p) => ({ templateId: p.templateId }),
  async validate({ tx }, p) {
    const template = found(
      await tx.template.findUnique({
        where: { id: p.templateId },
        include: { vms: { select: { name: true } }, disks: { include: { storageDomain: true } } },
      }),
      'Template',
      p.templateId,
    );
    const hosts = [];
    for (const dc of new Set(template.disks.map((d) => d.storageDomain.dataCenterId))) hosts.push(await storageHostAvailable(tx, dc));
    const overlays = await tx.disk.count({ where: { parentId: { in: template.disks.map((d) => d.id) } } });
    return [
      refuseWhen(
        template.vms.length === 0 && overlays > 0,
        'TEMPLATE_DISKS_IN_USE',
        `Template ${template.name} has ${overlays} thin volume(s) over its disks.`,
      ),
      refuseWhen(
        template.vms.length > 0,
        'TEMPLATE_IN_USE',
        `Template ${template.name} is used by VM(s) ${template.vms.map((v) => v.name).join(', ')}.`,
      ),
      disksUsable(template.disks),
      ...hosts,
    ];
  },
  async execute({ tx, engine, afterCommit }, p) {
    const template = await tx.template.findUniqueOrThrow({
      where: { id: p.templateId },
      include: { disks: { include: { storageDomain: true } }, cluster: true },
    });
    await deleteVolumes(tx, template.disks);
    await tx.template.delete({ where: { id: template.id } });
    const byDataCenter = new Map<string, { domain: { id: string; path: string }; diskId: string }[]>();
    for (const d of template.disks) {
      if (!d.storageDomain.dataCenterId) continue;
      const list = byDataCenter.get(d.storageDomain.dataCenterId) ?? [];
      list.push({ domain: d.storageDomain, diskId: d.id });
      byDataCenter.set(d.storageDomain.dataCenterId, list);
    }
    // The base images after the commit, as nothing can bring them back.
    for (const [dataCenterId, volumes] of byDataCenter) afterCommit(() => removeVolumes(engine, dataCenterId, volumes));
    return template;
  },
  audit: (t) => ({
    code: 'USER_REMOVE_VM_TEMPLATE',
    vars: { vmTemplateName: t.name },
    objects: { clusterId: t.clusterId, dataCenterId: t.cluster?.dataCenterId ?? null },
  }),
  api: {
    mutation: 'removeTemplate',
    description: 'Remove a template no VM uses, with its disks.',
    payload: { field: 'removed', type: 'Removed' },
    result: (t) => ({ typename: 'Template', id: t.id }),
  },
});
