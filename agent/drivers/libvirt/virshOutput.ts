// PURE: what virsh prints, read into values (domstats, guestinfo, list, events). Unit-tested on
// output captured from libvirt 9.0 / QEMU 7.2.

/** `virsh domstats --raw`: per domain name, its `key=value` fields. */
export function parseDomstats(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const line of text.split('\n')) {
    const head = /^Domain: '(.*)'$/.exec(line.trim());
    if (head) {
      current = new Map();
      out.set(head[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** `key : value` lines (`virsh guestinfo`, `domjobinfo`). */
export function parseFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([\w.-][\w. -]*?)\s*:\s?(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

/** `virsh list --all --uuid --name`: `uuid name` lines. */
export function parseDomainList(text: string): { id: string; name: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const space = l.indexOf(' ');
      return { id: l.slice(0, space), name: l.slice(space + 1).trim() };
    });
}

/** `virsh domblklist --details`: its `Type Device Target Source` rows (the source `-` when a drive is empty). */
export function blockDevices(text: string): { device: string; target: string; source: string }[] {
  return text
    .split('\n')
    .map((line) => /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m && m[1] !== 'Type' && !m[1]!.startsWith('-'))
    .map((m) => ({ device: m[2]!, target: m[3]!, source: m[4]! }));
}

/** The target of the domain's first CD-ROM drive, or null. */
export function cdromTarget(text: string): string | null {
  return blockDevices(text).find((b) => b.device === 'cdrom')?.target ?? null;
}

export type VirshEvent =
  /** `at`: when libvirt emitted it (ms since the epoch), where the line has --timestamp's time. */
  | { kind: 'lifecycle'; domain: string; event: string; detail: string; at?: number }
  | { kind: 'agent'; domain: string; connected: boolean }
  | { kind: 'other'; domain: string; type: string };

/** One line of `virsh event --all --loop [--timestamp]`. */
export function parseEventLine(line: string): VirshEvent | null {
  const m = /event '([\w-]+)' for domain '(.*?)'(?::\s*(.*))?$/.exec(line);
  if (!m) return null;
  const [, type, domain, rest = ''] = m as unknown as [string, string, string, string | undefined];
  if (type === 'lifecycle') {
    const [event = '', detail = ''] = rest.trim().split(/\s+/);
    const t = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(\d\d):/.exec(line);
    const at = t ? Date.parse(`${t[1]}T${t[2]}${t[3]}:${t[4]}`) : Number.NaN;
    return { kind: 'lifecycle', domain, event, detail, ...(Number.isNaN(at) ? {} : { at }) };
  }
  if (type === 'agent-lifecycle') return { kind: 'agent', domain, connected: /state: 'connected'/.test(rest) };
  return { kind: 'other', domain, type };
}

/** libvirt's words from virsh's stderr: its `error:` lines without the prefix. */
export function virshError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('error:'))
    .map((l) => l.slice(6).trim());
  return lines.length ? lines.join(': ') : stderr.trim();
}

/** The guest's data from `guestinfo`: interfaces, file systems, users, OS. */
export interface GuestData {
  hostname: string;
  ips: string[];
  users: string[];
  os: { name: string; version: string; kernel: string } | null;
  filesystems: { mountpoint: string; type: string; totalBytes: number; usedBytes: number }[];
}

export function guestData(info: Map<string, string>): GuestData {
  const count = (k: string) => Number(info.get(k) ?? 0);
  const ips: string[] = [];
  for (let i = 0; i < count('if.count'); i++) {
    if (info.get(`if.${i}.name`) === 'lo') continue;
    for (let a = 0; a < count(`if.${i}.addr.count`); a++) {
      const ip = info.get(`if.${i}.addr.${a}.addr`);
      if (ip && !ip.startsWith('fe80:')) ips.push(ip);
    }
  }
  const users: string[] = [];
  for (let i = 0; i < count('user.count'); i++) {
    const u = info.get(`user.${i}.name`);
    if (u) users.push(u);
  }
  const filesystems = [];
  for (let i = 0; i < count('fs.count'); i++) {
    filesystems.push({
      mountpoint: info.get(`fs.${i}.mountpoint`) ?? '',
      type: info.get(`fs.${i}.fstype`) ?? '',
      totalBytes: Number(info.get(`fs.${i}.total-bytes`) ?? 0),
      usedBytes: Number(info.get(`fs.${i}.used-bytes`) ?? 0),
    });
  }
  const osName = info.get('os.pretty-name') ?? info.get('os.name');
  return {
    hostname: info.get('hostname') ?? '',
    ips,
    users,
    os: osName ? { name: osName, version: info.get('os.version') ?? '', kernel: info.get('os.kernel-release') ?? '' } : null,
    filesystems,
  };
}
