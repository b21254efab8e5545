// The VM dialog's cloud-init fields (first boot: host name, user, password, SSH keys and DNS
// servers), its guest interfaces (any number, VmCloudInitNics.vue) and the API's
// VmInitializationInput they stand for, and back.
import type { FormField, FormValues } from '../common/CommonFormDialog.vue';
import { i18n } from '../../i18n';
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
export function cloudInitFields(passwordSet: boolean): FormField[] {
  const t = i18n.global.t;
  return [
    { key: 'initHostName', label: t('vmForm.initHostName'), hint: t('vmForm.initHostNameHint') },
    { key: 'initUserName', label: t('vmForm.initUserName') },
    { key: 'initPassword', label: t('vmForm.initPassword'), type: 'password', hint: passwordSet ? t('vmForm.initPasswordSet') : undefined },
    { key: 'initSshKeys', label: t('vmForm.initSshKeys'), type: 'textarea', hint: t('vmForm.initSshKeysHint') },
    { key: 'initDns', label: t('vmForm.initDns'), hint: t('vmForm.initDnsHint') },
  ];
}

/** One guest interface as the dialog edits it: `address` with its prefix (192.0.2.10/24). */
export interface CloudInitNic {
  /** Tells the rows apart while they are added and removed. */
  key: number;
  name: string;
  bootProtocol: 'DHCP' | 'STATIC';
  address: string;
  gateway: string;
}

let nextKey = 0;
/** A new interface row (DHCP unless told). */
export function cloudInitNic(nic?: Partial<Omit<CloudInitNic, 'key'>>): CloudInitNic {
  return { key: nextKey++, name: '', bootProtocol: 'DHCP', address: '', gateway: '', ...nic };
}

/** The fields' values for a VM's cloud-init (the password is never shown). */
export function cloudInitValues(init: Initialization | null | undefined): FormValues {
  return {
    initHostName: init?.hostName ?? undefined,
    initUserName: init?.userName ?? undefined,
    initSshKeys: init?.sshAuthorizedKeys.join('\n') || undefined,
    initDns: init?.dnsServers.join(', ') || undefined,
  };
}

/** The interface rows for a VM's cloud-init. */
export function cloudInitNics(init: Initialization | null | undefined): CloudInitNic[] {
  return (init?.nics ?? []).map((n) =>
    cloudInitNic({
      name: n.name,
      bootProtocol: n.bootProtocol === 'STATIC' ? 'STATIC' : 'DHCP',
      address: n.address ? `${n.address}/${n.prefix ?? ''}` : '',
      gateway: n.gateway ?? '',
    }),
  );
}

const text = (v: FormValues[string]) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: FormValues[string], sep: RegExp) =>
  (text(v) ?? '')
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The form's values without the cloud-init fields, and the cloud-init they and the interface rows
 * give (undefined: none). A row without a name is left out.
 */
export function splitCloudInit(
  values: FormValues,
  nics: readonly CloudInitNic[],
): { rest: FormValues; initialization?: VmInitializationInput } {
  const rest: FormValues = {};
  for (const [k, v] of Object.entries(values)) if (!k.startsWith('init')) rest[k] = v;
  const init: VmInitializationInput = {
    hostName: text(values.initHostName),
    userName: text(values.initUserName),
    password: text(values.initPassword),
    sshAuthorizedKeys: list(values.initSshKeys, /\n/),
    nics: nics
      .filter((n) => text(n.name))
      .map((n) => {
        const [address, prefix] = (text(n.address) ?? '').split('/');
        const staticNic = n.bootProtocol === 'STATIC';
        return {
          name: n.name.trim(),
          bootProtocol: n.bootProtocol,
          ...(staticNic && address ? { address, prefix: prefix ? Number(prefix) : undefined } : {}),
          ...(staticNic && text(n.gateway) ? { gateway: text(n.gateway) } : {}),
        };
      }),
    dnsServers: list(values.initDns, /,/),
  };
  const empty =
    !init.hostName && !init.userName && !init.password && !init.sshAuthorizedKeys?.length && !init.nics?.length && !init.dnsServers?.length;
  return { rest, initialization: empty ? undefined : init };
}
