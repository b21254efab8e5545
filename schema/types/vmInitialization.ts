// A VM's cloud-init settings as the API shows them: everything but the password, of which only
// whether one is set.
import { builder } from '../builder.ts';
import type { Initialization } from '../../server/actions/vm/cloudInit.ts';

type Nic = NonNullable<Initialization['nics']>[number];

const VmInitializationNicRef = builder.objectRef<Nic>('VmInitializationNic').implement({
  description: 'A guest interface cloud-init configures.',
  fields: (t) => ({
    name: t.exposeString('name'),
    bootProtocol: t.exposeString('bootProtocol', { description: 'DHCP or STATIC.' }),
    address: t.string({ nullable: true, resolve: (n) => n.address ?? null }),
    prefix: t.int({ nullable: true, resolve: (n) => n.prefix ?? null }),
    gateway: t.string({ nullable: true, resolve: (n) => n.gateway ?? null }),
  }),
});

export const VmInitializationRef = builder.objectRef<Initialization & { passwordSet: boolean }>('VmInitialization').implement({
  description: "cloud-init for the VM's first boot (libvirt guests get it as a config drive); the password is never shown.",
  fields: (t) => ({
    hostName: t.string({ nullable: true, resolve: (i) => i.hostName ?? null }),
    userName: t.string({ nullable: true, resolve: (i) => i.userName ?? null }),
    passwordSet: t.exposeBoolean('passwordSet', { description: 'Whether the user has a password (which the API never returns).' }),
    sshAuthorizedKeys: t.stringList({ resolve: (i) => i.sshAuthorizedKeys ?? [] }),
    nics: t.field({ type: [VmInitializationNicRef], resolve: (i) => i.nics ?? [] }),
    dnsServers: t.stringList({ resolve: (i) => i.dnsServers ?? [] }),
  }),
});
