// ImportVm: an OVF descriptor of a VM (alone, or read from an OVA) becomes a Down VM with its NICs,
// disks and disk images. The plan (importPlan.ts: what would be created, every warning) is computed
// once per run; the dry run and ovfImportPreview show it without changing anything. An OVA's images
// arrive converted in a host's staging area (ovaImages.ts); that host moves them into place (an
// empty volume for a disk without data) before the transaction, and a failure removes them. The VM
// records its source's identity, so the same source is not imported twice.
import { defineAction } from '../defineAction.ts';
import { allocateMacs } from '../vm/macPool.ts';
import { createVolumes } from '../../storage/hostVolumes.ts';
import type { ImportWarning } from './importParams.ts';
import { importActionParts } from './importCommon.ts';

const { planOnce, parts } = importActionParts('vm');

export interface ImportResult {
  vm: { id: string; name: string; clusterId: string; cluster: { dataCenterId: string } };
  warnings: ImportWarning[];
  source: 'OVF' | 'OVA';
}

export const importVm = defineAction({
  type: 'ImportVm',
  title: 'import VM',
  actionGroup: 'CREATE_VM',
  ...parts,
  /** The disks' volumes: the staged images placed, the others created empty, by the host that staged them or one of the data center. */
  async onHost({ engine, compensate }, p) {
    const plan = await planOnce(engine.db, p);
    const unconverted = plan.disks.find((d) => d.hasData && !d.image);
    if (unconverted) throw new Error(`the image of disk ${unconverted.alias} was not converted before the import`);
    const domains = await engine.db.storageDomain.findMany({ where: { id: { in: plan.disks.map((d) => d.storageDomainId!) } } });
    const stagedOn = plan.disks.find((d) => d.image)?.image?.hostId;
    const host = stagedOn ? await engine.db.host.findUniqueOrThrow({ where: { id: stagedOn }, select: { id: true, name: true } }) : null;
    await createVolumes(
      engine,
      host ? { host } : { dataCenterId: plan.dataCenterId!, title: 'import VM' },
      plan.disks.map((d) => ({
        domain: domains.find((x) => x.id === d.storageDomainId)!,
        diskId: d.id,
        format: d.format,
        sizeBytes: d.provisionedSizeBytes,
        fromStage: d.image?.stageId,
      })),
      compensate,
    );
  },
  async execute({ tx, publish }, p): Promise<ImportResult> {
    const plan = await planOnce(tx, p);
    const vm = await tx.vm.create({
      data: {
        id: plan.id,
        name: plan.name,
        description: plan.description,
        clusterId: plan.clusterId,
        osType: plan.osType,
        cpuSockets: plan.cpuSockets,
        cpuCores: plan.cpuCores,
        cpuThreads: plan.cpuThreads,
        memoryMb: plan.memoryMb,
        guaranteedMemoryMb: plan.guaranteedMemoryMb,
        highlyAvailable: plan.highlyAvailable,
        haPriority: plan.haPriority,
        stateless: plan.stateless,
        displayType: plan.displayType,
        templateId: plan.templateId,
        importSource: plan.importSource,
      },
      include: { cluster: true },
    });
    const pool = await allocateMacs(tx, plan.nics.filter((n) => n.macAddress === null).length);
    if (plan.nics.length) {
      await tx.vmNic.createMany({
        data: plan.nics.map((n) => ({
          id: n.id,
          vmId: vm.id,
          name: n.name,
          networkId: n.networkId,
          interface: n.interface,
          macAddress: n.macAddress ?? pool.shift()!,
          linked: n.linked,
          plugged: n.plugged,
        })),
      });
    }
    for (const d of plan.disks) {
      await tx.disk.create({
        data: {
          id: d.id,
          alias: d.alias,
          description: d.description,
          storageDomainId: d.storageDomainId!,
          format: d.format,
          sparse: d.sparse,
          shareable: d.shareable,
          provisionedSizeBytes: d.provisionedSizeBytes,
          actualSizeBytes: d.actualSizeBytes,
        },
      });
      await tx.diskAttachment.create({ data: { vmId: vm.id, diskId: d.id, bootable: d.bootable, interface: d.interface } });
      await tx.storageDomain.update({ where: { id: d.storageDomainId! }, data: { usedBytes: { increment: d.actualSizeBytes } } });
    }
    publish('vm:changed', { id: vm.id, kind: 'created' });
    return { vm, warnings: plan.warnings, source: p.source };
  },
  audit: (r) => ({
    code: 'IMPORTEXPORT_IMPORT_VM',
    vars: { vmName: r.vm.name, source: r.source, warningCount: r.warnings.length },
    objects: { vmId: r.vm.id, clusterId: r.vm.clusterId, dataCenterId: r.vm.cluster.dataCenterId },
  }),
});
