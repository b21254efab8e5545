// VM custom properties (oVirt's): what a cluster allows, and what a VM carries.
import { builder } from '../builder.ts';
import { vmProperties, type CustomPropertyRule } from '../../server/validators/customProperties.ts';

export const CustomPropertyRef = builder.objectRef<{ name: string; value: string }>('CustomProperty').implement({
  description: "A custom property of a VM: its hosts' VDSM hooks get it as an environment variable.",
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});

export const CustomPropertyRuleRef = builder.objectRef<CustomPropertyRule>('CustomPropertyRule').implement({
  description: "A custom property a cluster's VMs may have, and the regular expression its values match in full.",
  fields: (t) => ({ name: t.exposeString('name'), valueRegex: t.exposeString('valueRegex') }),
});

/** A VM's stored properties as a list, by name. */
export function propertyList(stored: unknown): { name: string; value: string }[] {
  return Object.entries(vmProperties(stored))
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
