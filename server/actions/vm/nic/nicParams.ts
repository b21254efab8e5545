// The fields a VM's NIC is described by, as addVm, addVmNic and updateVmNic take them.
import { z } from 'zod';

/** The device model the guest sees (oVirt's VmInterfaceType). */
export const nicInterface = z.enum(['VIRTIO', 'E1000', 'E1000E', 'RTL8139']).meta({ graphql: 'NicInterface' });

/** A MAC written as six hex pairs (the actions keep it in lower case). */
export const macAddress = z
  .string()
  .regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'must be six hexadecimal pairs separated by colons')
  .describe('A MAC address of the MAC pool (56:6f:…); none: the next free one.');

/** The most NICs a VM has (PCI slots the engine leaves for them). */
export const MAX_VM_NICS = 16;
