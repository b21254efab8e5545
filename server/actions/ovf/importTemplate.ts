// ImportVmTemplate: an oVirt template descriptor (alone, or read from an OVA) becomes a template of
// the target cluster with its NICs and disks, as oVirt imports templates as templates. Template
// disks are metadata only in Vireo (as addTemplate makes them), so an OVA's images are not used;
// the plan says so in a warning. Shares the plan, locks and preview with importVm.
import { defineAction } from '../defineAction.ts';
import { account } from '../disk/volumes.ts';
import type { ImportWarning } from './importParams.ts';
import { importActionParts } from './importCommon.ts';

const { planOnce, parts } = importActionParts('template');

export interface ImportTemplateResult {
  template: { id: string; name: string; clusterId: string | null };
  dataCenterId: string | null;
  warnings: ImportWarning[];
  source: 'OVF' | 'OVA';
}

export const importTemplate = defineAction({
  type: 'ImportVmTemplate',
  title: 'import Template',
  actionGroup: 'CREATE_TEMPLATE',
  ...parts,
  async execute({ tx }, p): Promise<ImportTemplateResult> {
    const plan = await planOnce(tx, p);
    const template = await tx.template.create({
      data: {
        id: plan.id,
        name: plan.name,
        description: plan.description,
        clusterId: plan.clusterId,
        version: plan.templateVersion,
        osType: plan.osType,
        cpuSockets: plan.cpuSockets,
        cpuCores: plan.cpuCores,
        cpuThreads: plan.cpuThreads,
        memoryMb: plan.memoryMb,
        guaranteedMemoryMb: plan.guaranteedMemoryMb,
        highlyAvailable: plan.highlyAvailable,
        stateless: plan.stateless,
        displayType: plan.displayType,
      },
    });
    if (plan.nics.length) {
      await tx.templateNic.createMany({
        data: plan.nics.map((n) => ({ id: n.id, templateId: template.id, name: n.name, networkId: n.networkId, interface: n.interface })),
      });
    }
    for (const d of plan.disks) {
      await tx.disk.create({
        data: {
          id: d.id,
          alias: d.alias,
          description: d.description,
          templateId: template.id,
          storageDomainId: d.storageDomainId!,
          format: d.format,
          sparse: d.sparse,
          shareable: d.shareable,
          provisionedSizeBytes: d.provisionedSizeBytes,
          actualSizeBytes: d.actualSizeBytes,
        },
      });
      await account(tx, d.storageDomainId!, d.actualSizeBytes);
    }
    return { template, dataCenterId: plan.dataCenterId, warnings: plan.warnings, source: p.source };
  },
  audit: (r) => ({
    code: 'IMPORTEXPORT_IMPORT_TEMPLATE',
    vars: { vmTemplateName: r.template.name, source: r.source, warningCount: r.warnings.length },
    objects: { templateId: r.template.id, clusterId: r.template.clusterId, dataCenterId: r.dataCenterId },
  }),
});
