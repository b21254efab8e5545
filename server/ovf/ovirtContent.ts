// oVirt's general fields: the plain children of <Content> (OvfWriter.writeGeneralData and the VM and
// template writers). Some are read (name, HA, memory guarantee, template, display type); some
// describe the export rather than the VM; every other one is reported when it holds a setting
// Vireo cannot keep, so nothing is dropped silently.
import { childText } from './dom.ts';
import { isUuid } from './ovirtIds.ts';
import type { Hardware } from './hardware.ts';
import type { OvfDisplayType, OvfVm, OvfWarning } from './types.ts';
import type { XmlElement } from './xml.ts';

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** oVirt's DisplayType values (the ordinal of its enum); 0 was "vnc" before 3.6, cirrus since. */
export const OVIRT_DISPLAY_TYPE = { cirrus: 0, qxl: 1, vga: 2, bochs: 3, none: 4 } as const;
/** The video device oVirt pairs with each console: qxl for SPICE, vga for VNC. */
export const VIDEO_FOR: Record<OvfDisplayType, 'qxl' | 'vga'> = { SPICE: 'qxl', VNC: 'vga' };

/** Read by the reader (here or in reader.ts). */
const READ = new Set([
  'Name',
  'Description',
  'MinAllocatedMem',
  'IsStateless',
  'AutoStartup',
  'Priority',
  'TemplateId',
  'TemplateName',
  'TemplateVersionNumber',
  'DefaultDisplayType',
  'default_display_type',
]);

/** What the export, the engine or its database record, not a setting of the VM. */
const BOOKKEEPING = new Set([
  'CreationDate',
  'ExportDate',
  'Generation',
  'ClusterCompatibilityVersion',
  'ClusterName',
  'Origin',
  'IsInitilized',
  'quota_id',
  'Domain',
  'app_list',
  'CreatedByUserId',
  'StopTime',
  'BootTime',
  'Downtime',
  'OriginalTemplateId',
  'OriginalTemplateName',
  'BaseTemplateId',
  'TemplateVersionName',
  'EngineXml',
]);

/**
 * Settings Vireo has no equivalent for, with the values (lower case) that mean the feature is not
 * used; any other value is a warning.
 */
const SETTINGS: Record<string, { what: string; neutral: string[] }> = {
  DeleteProtected: { what: 'protection from removal', neutral: ['false'] },
  IsSmartcardEnabled: { what: 'smartcard', neutral: ['false'] },
  TimeZone: { what: 'guest time zone', neutral: [''] },
  default_boot_sequence: { what: 'boot sequence', neutral: ['0'] },
  VmType: { what: 'VM type (2: high performance)', neutral: ['0', '1'] },
  IsRunAndPause: { what: 'start paused', neutral: ['false'] },
  IsAutoSuspend: { what: 'automatic suspend', neutral: ['false'] },
  TrustedService: { what: 'trusted service', neutral: ['false'] },
  UseLatestVersion: { what: 'following the latest template version', neutral: ['false'] },
  TemplateType: { what: 'template type', neutral: ['template'] },
  IsDisabled: { what: 'template disabled', neutral: ['false'] },
  TemplateSealed: { what: 'sealed template', neutral: ['false'] },
  BiosType: { what: 'chipset and firmware', neutral: ['-1'] },
  CpuPinning: { what: 'CPU pinning', neutral: [''] },
  CpuPinningPolicy: { what: 'CPU pinning policy', neutral: ['0'] },
  NumOfIoThreads: { what: 'I/O threads', neutral: ['0', '1'] },
  SsoMethod: { what: 'single sign-on through the guest agent', neutral: ['none'] },
  VncKeyboardLayout: { what: 'VNC keyboard layout', neutral: [''] },
  TunnelMigration: { what: 'tunnelled migration', neutral: ['', 'false'] },
  MigrationDowntime: { what: 'migration downtime', neutral: [''] },
  MigrationSupport: { what: 'migration mode', neutral: ['0'] },
  IsAutoConverge: { what: 'migration auto-converge', neutral: [''] },
  IsMigrateCompressed: { what: 'compressed migration', neutral: [''] },
  IsMigrateEncrypted: { what: 'encrypted migration', neutral: [''] },
  MigrationPolicyId: { what: 'migration policy', neutral: [''] },
  ParallelMigrations: { what: 'parallel migration connections', neutral: [''] },
  SerialNumberPolicy: { what: 'serial number policy', neutral: [''] },
  CustomSerialNumber: { what: 'custom serial number', neutral: [''] },
  IsBootMenuEnabled: { what: 'boot menu', neutral: ['false'] },
  IsSpiceFileTransferEnabled: { what: 'SPICE file transfer', neutral: ['true'] },
  IsSpiceCopyPasteEnabled: { what: 'SPICE copy and paste', neutral: ['true'] },
  AllowConsoleReconnect: { what: 'console reconnect by another user', neutral: ['false'] },
  ConsoleDisconnectAction: { what: 'console disconnect action', neutral: ['lock_screen'] },
  ConsoleDisconnectActionDelay: { what: 'console disconnect action delay', neutral: ['0'] },
  CustomEmulatedMachine: { what: 'emulated machine', neutral: [''] },
  CustomCpuName: { what: 'CPU model', neutral: [''] },
  CustomCompatibilityVersion: { what: 'compatibility version', neutral: [''] },
  PredefinedProperties: { what: 'predefined custom properties', neutral: [''] },
  UserDefinedProperties: { what: 'custom properties', neutral: [''] },
  LeaseDomainId: { what: 'VM lease', neutral: [''] },
  MultiQueuesEnabled: { what: 'NIC multi-queue', neutral: ['true'] },
  VirtioScsiMultiQueuesEnabled: { what: 'VirtIO-SCSI multi-queue', neutral: ['false'] },
  UseHostCpu: { what: 'host CPU pass-through', neutral: ['false'] },
  BalloonEnabled: { what: 'memory balloon', neutral: ['true'] },
  ResumeBehavior: { what: 'resume behaviour after an I/O error', neutral: ['auto_resume'] },
  kernel_url: { what: 'direct kernel boot', neutral: [''] },
  kernel_params: { what: 'kernel parameters', neutral: [''] },
  initrd_url: { what: 'direct initrd', neutral: [''] },
  InstanceTypeId: { what: 'instance type', neutral: ['', EMPTY_GUID] },
  ImageTypeId: { what: 'image type', neutral: ['', EMPTY_GUID] },
  DedicatedVmForVds: { what: 'pinning to a host', neutral: [''] },
  Comment: { what: 'comment', neutral: [''] },
};

/** The Content's plain children, in order (oVirt writes them unqualified). */
function fields(content: XmlElement): XmlElement[] {
  return content.children.filter((c) => c.ns === '' && c.local !== 'Section' && c.local !== 'Info');
}

/** Warns about every field that holds something Vireo cannot keep (MaxMemorySizeMb against the memory). */
function reportSettings(content: XmlElement, memoryMb: number, warnings: OvfWarning[]): void {
  for (const f of fields(content)) {
    if (READ.has(f.local) || BOOKKEEPING.has(f.local)) continue;
    const value = f.text;
    if (f.local === 'MaxMemorySizeMb' && value !== '' && Number.isFinite(Number(value))) {
      if (Number(value) > memoryMb)
        warnings.push({
          code: 'UNSUPPORTED_SETTING',
          message: `MaxMemorySizeMb ${value} (memory hot plug) is not represented; the VM cannot grow beyond ${memoryMb} MiB while it runs.`,
        });
      continue;
    }
    if (f.local === 'VmInit') {
      warnings.push({
        code: 'UNSUPPORTED_SETTING',
        message: 'VmInit (cloud-init or sysprep initialisation) is not represented; it is not imported.',
      });
      continue;
    }
    const setting = SETTINGS[f.local];
    if (setting?.neutral.includes(value.toLowerCase()) && f.children.length === 0) continue;
    if (!setting && value === '' && f.children.length === 0 && f.attrs.length === 0) continue;
    const code = f.local === 'default_boot_sequence' ? 'BOOT_ORDER' : 'UNSUPPORTED_SETTING';
    warnings.push({ code, message: `${f.local} "${value}"${setting ? ` (${setting.what})` : ''} is not represented; it is not imported.` });
  }
}

/** DefaultDisplayType (VMs) or default_display_type (templates) as a console, warning when only approximated. */
function displayFromDefault(content: XmlElement, warnings: OvfWarning[]): OvfDisplayType | null {
  const raw = (childText(content, 'DefaultDisplayType') ?? childText(content, 'default_display_type'))?.trim();
  if (raw === undefined || raw === '') return null;
  switch (Number(raw)) {
    case OVIRT_DISPLAY_TYPE.qxl:
      return 'SPICE';
    case OVIRT_DISPLAY_TYPE.vga:
      return 'VNC';
    case OVIRT_DISPLAY_TYPE.cirrus:
    case OVIRT_DISPLAY_TYPE.bochs:
      warnings.push({
        code: 'UNMAPPED_VALUE',
        message: `Display type ${raw} (video card ${raw === '0' ? 'cirrus' : 'bochs'}) is kept as a VNC console; Vireo gives the VM a vga video card.`,
      });
      return 'VNC';
    case OVIRT_DISPLAY_TYPE.none:
      warnings.push({ code: 'UNMAPPED_VALUE', message: 'The VM is headless (display type none); Vireo gives it a VNC console.' });
      return 'VNC';
    default:
      warnings.push({ code: 'IGNORED_VALUE', message: `Display type "${raw}" is not one of oVirt's; left out.` });
      return null;
  }
}

/** The console: the graphics devices when there are any, else the default display type. Warns about video cards it does not match. */
function readDisplay(content: XmlElement, hw: Hardware, warnings: OvfWarning[]): OvfDisplayType | null {
  const fromDefault = displayFromDefault(content, warnings);
  let display = fromDefault;
  if (hw.graphics.length) {
    display = hw.graphics.some((g) => g.type === 'SPICE') ? 'SPICE' : 'VNC';
    if (hw.graphics.some((g) => g.type !== display))
      warnings.push({ code: 'UNMAPPED_VALUE', message: 'The VM has both a SPICE and a VNC console; Vireo offers one, SPICE.' });
  }
  for (const v of hw.video) {
    if (display === null || v.model !== VIDEO_FOR[display]) {
      warnings.push({
        code: 'UNSUPPORTED_DEVICE',
        message: `Device video/${v.model} (${v.id}) is not represented${display ? `; Vireo gives the VM a ${VIDEO_FOR[display]} video card` : ''}.`,
      });
    }
  }
  return display;
}

/** What oVirt's Content says about templates: kind (OvfParser.isTemplate), the template a VM comes from, a template's version. */
function readTemplate(
  content: XmlElement,
  id: string | null,
  warnings: OvfWarning[],
): Pick<OvfVm, 'kind' | 'template' | 'templateVersion'> {
  const templateId = childText(content, 'TemplateId')?.trim().toLowerCase() ?? '';
  if (templateId !== '' && id !== null && templateId === id.toLowerCase()) {
    const raw = childText(content, 'TemplateVersionNumber')?.trim() ?? '';
    const n = Number(raw);
    const valid = raw !== '' && Number.isSafeInteger(n) && n >= 1;
    if (raw !== '' && !valid)
      warnings.push({ code: 'IGNORED_VALUE', message: `TemplateVersionNumber "${raw}" is not a positive whole number; left out.` });
    return { kind: 'template', template: null, templateVersion: valid ? n : null };
  }
  if (templateId === '' || templateId === EMPTY_GUID) return { kind: 'vm', template: null, templateVersion: null };
  if (!isUuid(templateId)) {
    warnings.push({ code: 'IGNORED_VALUE', message: `TemplateId "${templateId}" is not a UUID; the VM's template is left out.` });
    return { kind: 'vm', template: null, templateVersion: null };
  }
  return { kind: 'vm', template: { id: templateId, name: childText(content, 'TemplateName')?.trim() ?? '' }, templateVersion: null };
}

/** Reads oVirt's general fields of `content` (after its hardware): template, console, and warnings for the rest. */
export function readOvirtContent(content: XmlElement, id: string | null, hw: Hardware, warnings: OvfWarning[]) {
  const template = readTemplate(content, id, warnings);
  const displayType = readDisplay(content, hw, warnings);
  reportSettings(content, hw.memoryMb, warnings);
  return { ...template, displayType };
}
