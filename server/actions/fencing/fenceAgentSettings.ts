// The fields addFenceAgent and updateFenceAgent share, and the checks on them.
import { z } from 'zod';
import { findFenceProgram, RESERVED_OPTIONS } from '../../fencing/fenceProgram.ts';
import type { Engine } from '../../engine.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';

/** One line of a fence agent's stdin may not hold a line break (it would smuggle in another argument). */
const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n\0]*$/, 'may not contain line breaks');

export const fenceAgentFields = {
  type: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only (ipmilan, virsh, redfish)')
    .describe('The fence-agent program without `fence_`: ipmilan runs fence_ipmilan.'),
  address: oneLine(255).min(1, 'must not be empty').describe('Address of the BMC, PDU or hypervisor (`ip=`).'),
  port: oneLine(255).describe('Plug, outlet or VM name the device acts on (`port=`), when it needs one.'),
  username: oneLine(255).describe('User name on the device (`username=`).'),
  password: oneLine(1024).describe('Password on the device (`password=`); stored encrypted, never shown.'),
  options: z
    .array(
      z
        .object({
          key: z
            .string()
            .regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, _ and -')
            .max(64)
            .refine((k) => !RESERVED_OPTIONS.includes(k), 'is set by the engine (action, ip, username, password, port)'),
          value: oneLine(1024),
        })
        .meta({ graphql: 'FenceOptionInput', typeDescription: 'One more key=value argument of the fence-agent program.' }),
    )
    .max(32)
    .describe('More key=value arguments (lanplus=1, ipport=623…).'),
  order: z.number().int().min(1).max(100).describe('Agents are tried in this order, lowest first.'),
};

/** The options as stored: an object of key → value. */
export function optionsObject(list: { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(list.map((o) => [o.key, o.value]));
}

/** Refuses a type whose program the engine cannot find. */
export function programKnown(engine: Engine, type: string | undefined): Reason | null {
  if (type === undefined) return null;
  return refuseWhen(
    !findFenceProgram(type, engine.power.settings.searchPath),
    'FENCE_AGENT_TYPE_UNKNOWN',
    `No fence agent program fence_${type} is installed on the engine (looked in ${engine.power.settings.searchPath.join(':')}).`,
  );
}

/** Two option entries with one key. */
export function optionsUnique(list: { key: string }[] | undefined): Reason | null {
  const keys = (list ?? []).map((o) => o.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  return refuseWhen(!!twice, 'FENCE_AGENT_OPTION_TWICE', `The option ${twice} is given twice.`);
}
