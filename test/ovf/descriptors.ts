// The OVF/OVA tests' descriptors: the shared real ones, this suite's own, and oVirt's template form.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The real descriptors of shared/fixtures/ovf, not copied into the project: beside the checkout,
 * or beside the repository a clone was made from (a CI clone elsewhere), or VIREO_SHARED_OVF.
 */
export const SHARED_OVF = sharedOvfDir();

function sharedOvfDir(): string {
  const root = path.resolve(import.meta.dirname, '../..');
  const besideCheckout = path.resolve(root, '../shared/fixtures/ovf');
  let besideOrigin: string | undefined;
  try {
    const origin = execFileSync('git', ['-C', root, 'remote', 'get-url', 'origin'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (path.isAbsolute(origin)) besideOrigin = path.resolve(origin, '../shared/fixtures/ovf');
  } catch {
    /* not a clone */
  }
  return [process.env.VIREO_SHARED_OVF, besideCheckout, besideOrigin].find((dir) => dir && existsSync(dir)) ?? besideCheckout;
}
/** This suite's own small fixtures. */
export const OWN_OVF = path.resolve(import.meta.dirname, 'fixtures');

export function shared(name: string): string {
  return readFileSync(path.join(SHARED_OVF, name), 'utf8');
}

export function own(name: string): string {
  return readFileSync(path.join(OWN_OVF, name), 'utf8');
}

/** The id of the VM in the shared oVirt engine descriptor (ovirt-engine_vmOvfData.xml). */
export const OVIRT_VM_ID = '70f24c82-a7b8-4e0b-9192-cffd5705cf5c';

/** The shared oVirt engine descriptor as oVirt's OvfTemplateWriter would write the same object: a template. */
export function ovirtTemplateDescriptor(): string {
  return shared('ovirt-engine_vmOvfData.xml')
    .replace('<TemplateId>00000000-0000-0000-0000-000000000000</TemplateId>', `<TemplateId>${OVIRT_VM_ID}</TemplateId>`)
    .replace('<TemplateName>Blank</TemplateName>', '')
    .replace(
      '<DefaultDisplayType>1</DefaultDisplayType>',
      '<default_display_type>1</default_display_type><IsDisabled>false</IsDisabled><TemplateType>TEMPLATE</TemplateType>',
    );
}
