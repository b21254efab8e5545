// oVirt's VM custom properties: a cluster lists the names its VMs may carry, each with the
// regular expression a value must match in full (oVirt's UserDefinedVMProperties); a VM carries
// name → value pairs. The names become environment variables of the hosts' VDSM hooks.
import { z } from 'zod';
import { CUSTOM_PROPERTY_NAME } from '../../protocol/messages.ts';
import type { Reason } from '../errors.ts';
import { refuseWhen } from './reasons.ts';

const propertyName = z
  .string()
  .regex(CUSTOM_PROPERTY_NAME, 'letters, digits and _, not starting with a digit, at most 64 (it becomes an environment variable)');

/** One custom property a cluster allows (stored as the cluster's `customProperties`). */
export interface CustomPropertyRule {
  name: string;
  valueRegex: string;
}

export const customPropertyRules = z
  .array(
    z
      .object({
        name: propertyName,
        valueRegex: z
          .string()
          .max(1024)
          .refine((r) => {
            try {
              new RegExp(r);
              return true;
            } catch {
              return false;
            }
          }, 'is not a valid regular expression')
          .describe('A value must match it in full, e.g. `(true|false)` or `^[0-9]+$`.'),
      })
      .meta({
        graphql: 'CustomPropertyRuleInput',
        typeDescription: 'A VM custom property the cluster allows, and what its values may be.',
      }),
  )
  .max(100)
  .describe("The custom properties the cluster's VMs may have (oVirt's UserDefinedVMProperties); replaces the list.");

export const customPropertyValues = z
  .array(
    z
      .object({
        name: propertyName,
        value: z
          .string()
          .max(4096)
          .regex(/^[^\0]*$/, 'may not contain NUL'),
      })
      .meta({ graphql: 'CustomPropertyInput', typeDescription: 'A custom property of a VM: its name and value.' }),
  )
  .max(100)
  .describe(
    "The VM's custom properties (names its cluster allows); replaces them all. Its hosts' hooks see them as environment variables.",
  );

/** Two rules or values with one name. */
export function namesUnique(list: { name: string }[] | undefined, what: string): Reason | null {
  const names = (list ?? []).map((p) => p.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  return refuseWhen(!!twice, 'CUSTOM_PROPERTY_TWICE', `The ${what} ${twice} is given twice.`);
}

/** The rules a cluster stores (anything else in the column is ignored). */
export function clusterRules(stored: unknown): CustomPropertyRule[] {
  return Array.isArray(stored)
    ? stored.filter((r): r is CustomPropertyRule => typeof r?.name === 'string' && typeof r?.valueRegex === 'string')
    : [];
}

/** Each property is one the cluster allows, with a value its expression matches in full. */
export function propertiesAllowed(values: { name: string; value: string }[], rules: CustomPropertyRule[], clusterName: string): Reason[] {
  const byName = new Map(rules.map((r) => [r.name, r]));
  const reasons: Reason[] = [];
  const dup = namesUnique(values, 'custom property');
  if (dup) reasons.push(dup);
  for (const p of values) {
    const rule = byName.get(p.name);
    if (!rule) {
      const allowed = rules.map((r) => r.name).join(', ') || 'none';
      reasons.push({
        code: 'CUSTOM_PROPERTY_NOT_ALLOWED',
        message: `Cluster ${clusterName} does not allow the custom property ${p.name} (allowed: ${allowed}).`,
      });
    } else if (!new RegExp(`^(?:${rule.valueRegex})$`).test(p.value)) {
      reasons.push({
        code: 'CUSTOM_PROPERTY_VALUE_INVALID',
        message: `The value ${JSON.stringify(p.value)} of custom property ${p.name} does not match ${rule.valueRegex}.`,
      });
    }
  }
  return reasons;
}

/** Stored form of a VM's properties: name → value. */
export function propertiesObject(values: { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(values.map((p) => [p.name, p.value]));
}

/** A VM's stored properties (anything but strings is ignored). */
export function vmProperties(stored: unknown): Record<string, string> {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  return Object.fromEntries(Object.entries(stored).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
