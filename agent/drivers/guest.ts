// What a simulated guest agent reports: stable per VM (derived from its id), except memory.
import type { DomainSpec, GuestInfo } from '../../protocol/messages.ts';

const LINUX_APPS = ['kernel-5.14.0-503.el9', 'qemu-guest-agent-9.0.0', 'openssh-server-8.7p1', 'chrony-4.5'];
const WINDOWS_APPS = ['QEMU guest agent 107.0.1', 'VirtIO drivers 0.1.262', 'Microsoft Edge 131.0'];
const ROLE_APPS: Record<string, string> = {
  web: 'nginx-1.24.0',
  db: 'postgresql-16.4',
  cache: 'redis-7.2.5',
  mail: 'postfix-3.8.1',
  ldap: '389-ds-base-2.5',
  proxy: 'haproxy-2.8.3',
  ci: 'gitlab-runner-17.5',
};

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function guestInfo(spec: DomainSpec, memUsedMb: number, loggedIn: boolean): GuestInfo {
  const h = hash(spec.id);
  const windows = spec.osType.startsWith('windows');
  const role = Object.keys(ROLE_APPS).find((r) => spec.name.startsWith(r));
  return {
    hostname: windows ? spec.name.toUpperCase() : `${spec.name}.example.org`,
    ips: [`10.${(h >>> 16) & 0xff}.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`, `fe80::${(h & 0xffff).toString(16)}`],
    memUsedMb,
    applications: [...(windows ? WINDOWS_APPS : LINUX_APPS), ...(role ? [ROLE_APPS[role]!] : [])],
    loggedInUser: loggedIn ? (windows ? 'Administrator' : 'root') : '',
  };
}
