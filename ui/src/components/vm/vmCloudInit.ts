// The VM dialog's cloud-init fields (first boot: host name, user, password, SSH keys, one guest
// interface and DNS servers) and the API's VmInitializationInput they stand for, and back.
import type { FormField, FormValues } from '../common/CommonFormDialog.vue';
import type { VmInitializationInput } from '../../gql/graphql';

/** What the API shows of a VM's cloud-init (VmInitialization). */
export interface Initialization {
  hostName?: string | null;
  userName?: string | null;
  passwordSet: boolean;
  sshAuthorizedKeys: string[];
  nics: { name: string; bootProtocol: string; address?: string | null; prefix?: number | null; gateway?: string | null }[];
  dnsServers: string[];
}

/** The fields; `passwordSet`: the VM's user has a password, which an empty field keeps. */
export const cloudInitFields = (passwordSet: boolean): FormField[] => [
  { key: 'initHostName', label: 'Guest host name (cloud-init)', hint: 'cloud-init applies these on the first boot of a libvirt guest' },
  { key: 'initUserName', label: 'Guest user' },
  {
    key: 'initPassword',
    label: "Guest user's password",
    type: 'password',
    hint: passwordSet ? 'A password is set; leave empty to keep it' : undefined,
  },
  { key: 'initSshKeys', label: 'SSH public keys', type: 'textarea', hint: 'One OpenSSH key per line' },
  { key: 'initNic', label: 'Guest interface', hint: 'e.g. eth0; empty: the guest configures its network itself' },
  {
    key: 'initBoot',
    label: 'Interface addressing',
    type: 'select',
    options: [
      { value: 'DHCP', label: 'DHCP' },
      { value: 'STATIC', label: 'Static' },
    ],
  },
  { key: 'initAddress', label: 'Static address', hint: 'With its prefix, e.g. 192.0.2.10/24' },
  { key: 'initGateway', label: 'Gateway' },
  { key: 'initDns', label: 'DNS servers', hint: 'Separated by commas' },
];

/** The fields' values for a VM's cloud-init (the password is never shown). */
export function cloudInitValues(init: Initialization | null | undefined): FormValues {
  const nic = init?.nics[0];
  return {
    initHostName: init?.hostName ?? undefined,
    initUserName: init?.userName ?? undefined,
    initSshKeys: init?.sshAuthorizedKeys.join('\n') || undefined,
    initNic: nic?.name,
    initBoot: nic?.bootProtocol ?? 'DHCP',
    initAddress: nic?.address ? `${nic.address}/${nic.prefix ?? ''}` : undefined,
    initGateway: nic?.gateway ?? undefined,
    initDns: init?.dnsServers.join(', ') || undefined,
  };
}

const text = (v: FormValues[string]) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: FormValues[string], sep: RegExp) =>
  (text(v) ?? '')
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's values without the cloud-init fields, and the cloud-init they give (undefined: none). */
export function splitCloudInit(values: FormValues): { rest: FormValues; initialization?: VmInitializationInput } {
  const rest: FormValues = {};
  for (const [k, v] of Object.entries(values)) if (!k.startsWith('init')) rest[k] = v;
  const nicName = text(values.initNic);
  const [address, prefix] = (text(values.initAddress) ?? '').split('/');
  const staticNic = values.initBoot === 'STATIC';
  const init: VmInitializationInput = {
    hostName: text(values.initHostName),
    userName: text(values.initUserName),
    password: text(values.initPassword),
    sshAuthorizedKeys: list(values.initSshKeys, /\n/),
    nics: nicName
      ? [
          {
            name: nicName,
            bootProtocol: staticNic ? 'STATIC' : 'DHCP',
            ...(staticNic && address ? { address, prefix: prefix ? Number(prefix) : undefined } : {}),
            ...(staticNic && text(values.initGateway) ? { gateway: text(values.initGateway) } : {}),
          },
        ]
      : [],
    dnsServers: list(values.initDns, /,/),
  };
  const empty =
    !init.hostName && !init.userName && !init.password && !init.sshAuthorizedKeys?.length && !init.nics?.length && !init.dnsServers?.length;
  return { rest, initialization: empty ? undefined : init };
}
