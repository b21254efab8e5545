// cloud-init for a VM's first boot (oVirt's VM initialization, its cloud-init payload): the
// NoCloud files the host puts on the VM's config drive (an ISO labelled `cidata`). YAML is a
// superset of JSON, so each file is JSON (user-data after its `#cloud-config` line): no quoting
// rule of YAML can turn a value into something else. The instance id is the VM's, so cloud-init
// runs its per-instance modules on the first boot only.
import { z } from 'zod';
import type { ConfigDrive } from '../../../protocol/messages.ts';

const ipv4 = z.ipv4('must be an IPv4 address');

/** What the API takes (the password is sealed apart, never kept here). */
export const initializationParam = z
  .object({
    hostName: z
      .string()
      .max(253)
      .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'must be a host name')
      .optional(),
    userName: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Linux user name (lower case letters, digits, _ and -)')
      .optional(),
    password: z.string().min(1).max(256).optional().describe("The user's password; never returned by the API."),
    sshAuthorizedKeys: z
      .array(
        z
          .string()
          .max(16_384)
          .regex(/^(ssh|ecdsa|sk)-[\w@.-]+ [A-Za-z0-9+/=]+( .*)?$/, 'must be an OpenSSH public key line'),
      )
      .max(32)
      .optional(),
    nics: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z][a-z0-9]{0,14}$/, "must be a guest interface name (e.g. 'eth0')"),
            bootProtocol: z.enum(['DHCP', 'STATIC']).meta({ graphql: 'NicBootProtocol' }),
            address: ipv4.optional(),
            prefix: z.number().int().min(0).max(32).optional(),
            gateway: ipv4.optional(),
          })
          .meta({ graphql: 'VmInitializationNicInput' }),
      )
      .max(8)
      .optional(),
    dnsServers: z.array(ipv4).max(4).optional(),
  })
  .refine((i) => !i.password || i.userName, { message: 'a password needs its userName', path: ['password'] })
  .refine((i) => (i.nics ?? []).every((n) => n.bootProtocol === 'DHCP' || (n.address && n.prefix !== undefined)), {
    message: 'a STATIC NIC needs its address and prefix',
    path: ['nics'],
  })
  .meta({ graphql: 'VmInitializationInput' })
  .optional()
  .describe("cloud-init for the VM's first boot, given to libvirt guests as a config drive.");

export type Initialization = Omit<NonNullable<z.infer<typeof initializationParam>>, 'password'>;

/** The config drive's files for a VM: `password` is the opened secret, if any. */
export function configDrive(vm: { id: string; name: string }, init: Initialization, password: string | null): ConfigDrive {
  const user =
    init.userName &&
    ({
      name: init.userName,
      shell: '/bin/bash',
      sudo: 'ALL=(ALL) NOPASSWD:ALL',
      lock_passwd: !password,
      ...(password ? { plain_text_passwd: password } : {}),
      ...(init.sshAuthorizedKeys?.length ? { ssh_authorized_keys: init.sshAuthorizedKeys } : {}),
    } as const);
  const cloudConfig = {
    ...(init.hostName ? { hostname: init.hostName.split('.')[0], fqdn: init.hostName } : {}),
    ...(user ? { users: ['default', user] } : {}),
    ...(!user && init.sshAuthorizedKeys?.length ? { ssh_authorized_keys: init.sshAuthorizedKeys } : {}),
    ...(password ? { ssh_pwauth: true } : {}),
  };
  const network = init.nics?.length
    ? {
        version: 1,
        config: [
          ...init.nics.map((n) => ({
            type: 'physical',
            name: n.name,
            subnets: [
              n.bootProtocol === 'DHCP'
                ? { type: 'dhcp' }
                : { type: 'static', address: `${n.address}/${n.prefix}`, ...(n.gateway ? { gateway: n.gateway } : {}) },
            ],
          })),
          ...(init.dnsServers?.length ? [{ type: 'nameserver', address: init.dnsServers }] : []),
        ],
      }
    : null;
  return {
    userData: `#cloud-config\n${JSON.stringify(cloudConfig, null, 2)}\n`,
    metaData: `${JSON.stringify({ 'instance-id': vm.id, 'local-hostname': init.hostName ?? vm.name }, null, 2)}\n`,
    ...(network ? { networkConfig: `${JSON.stringify(network, null, 2)}\n` } : {}),
  };
}
