// Log-in against an LDAP directory with ldapts: find the user with the service account, bind as
// the user, read groups (nested ones too). Values go into filters as filter objects, which
// escape them, so a user name cannot inject filter syntax.
import fs from 'node:fs';
import { AndFilter, Client, EqualityFilter, InvalidCredentialsError, OrFilter, type Entry, type Filter } from 'ldapts';
import type { DirectoryProfile } from './directoryConfig.ts';

export interface DirectoryUser {
  dn: string;
  userName: string;
  displayName: string;
  email: string;
  groups: { dn: string; name: string }[];
}

export type DirectoryFailure = 'INVALID_CREDENTIALS' | 'ACCOUNT_DISABLED' | 'DIRECTORY_UNAVAILABLE';

export class DirectoryError extends Error {
  constructor(
    readonly failure: DirectoryFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

const MAX_GROUP_DEPTH = 10;
const first = (v: Entry[string] | undefined) => (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
const all = (v: Entry[string] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));

function tlsOptions(p: DirectoryProfile) {
  // `host` names the server for the certificate check (StartTLS upgrades a socket that has none).
  return { host: new URL(p.url).hostname, ...(p.caFile ? { ca: [fs.readFileSync(p.caFile)] } : {}) };
}

function client(p: DirectoryProfile) {
  // ldapts treats any tlsOptions as "connect with TLS": give them only for ldaps:// URLs.
  const ldaps = p.url.startsWith('ldaps://');
  return new Client({ url: p.url, timeout: p.timeoutMs, connectTimeout: p.timeoutMs, ...(ldaps ? { tlsOptions: tlsOptions(p) } : {}) });
}

/** Authenticates `userName` with `password`; throws DirectoryError saying why not. */
export async function authenticate(p: DirectoryProfile, userName: string, password: string): Promise<DirectoryUser> {
  // An empty password is an "unauthenticated bind", which LDAP servers accept: never let it through.
  if (!password) throw new DirectoryError('INVALID_CREDENTIALS', 'empty password');
  const c = client(p);
  try {
    await connect(c, p);
    const userAttr = p.userAttribute ?? (p.kind === 'ad' ? 'sAMAccountName' : 'uid');
    const { searchEntries } = await c.search(p.baseDn, {
      scope: 'sub',
      filter: new AndFilter({ filters: [new EqualityFilter({ attribute: userAttr, value: userName }), personFilter(p)] }),
      attributes: ['dn', 'cn', 'displayName', 'mail', 'memberOf', 'nsAccountLock', 'userAccountControl', 'pwdAccountLockedTime'],
      sizeLimit: 2,
    });
    if (searchEntries.length !== 1)
      throw new DirectoryError('INVALID_CREDENTIALS', searchEntries.length ? 'ambiguous user name' : 'no such user');
    const entry = searchEntries[0]!;
    await bindAs(p, entry.dn, password);
    if (disabled(entry)) throw new DirectoryError('ACCOUNT_DISABLED', 'the directory marks the account disabled');
    return {
      dn: entry.dn,
      userName,
      displayName: first(entry.displayName) || first(entry.cn),
      email: first(entry.mail),
      groups: await groupsOf(c, p, entry),
    };
  } finally {
    await c.unbind().catch(() => {});
  }
}

async function connect(c: Client, p: DirectoryProfile) {
  try {
    if (p.startTls) await c.startTLS(tlsOptions(p));
    if (p.bindDn) await c.bind(p.bindDn, p.bindPassword ?? '');
  } catch (err) {
    if (err instanceof InvalidCredentialsError) throw new DirectoryError('DIRECTORY_UNAVAILABLE', 'the service account was refused');
    throw new DirectoryError('DIRECTORY_UNAVAILABLE', `cannot reach ${p.url}: ${(err as Error).message}`);
  }
}

async function bindAs(p: DirectoryProfile, dn: string, password: string) {
  const userClient = client(p);
  try {
    if (p.startTls) await userClient.startTLS(tlsOptions(p));
    await userClient.bind(dn, password);
  } catch (err) {
    if (err instanceof InvalidCredentialsError) throw new DirectoryError('INVALID_CREDENTIALS', 'wrong password');
    throw new DirectoryError('DIRECTORY_UNAVAILABLE', (err as Error).message);
  } finally {
    await userClient.unbind().catch(() => {});
  }
}

function personFilter(p: DirectoryProfile): Filter {
  return p.kind === 'ad'
    ? new EqualityFilter({ attribute: 'objectCategory', value: 'person' })
    : new OrFilter({
        filters: ['inetOrgPerson', 'person', 'posixAccount'].map((value) => new EqualityFilter({ attribute: 'objectClass', value })),
      });
}

/** AD: ACCOUNTDISABLE bit; 389/IPA: nsAccountLock; OpenLDAP ppolicy: a locked time. */
function disabled(e: Entry): boolean {
  return (
    (Number(first(e.userAccountControl)) & 2) === 2 ||
    first(e.nsAccountLock).toUpperCase() === 'TRUE' ||
    first(e.pwdAccountLockedTime) !== ''
  );
}

/** Direct groups from memberOf, then the groups those groups are in, to MAX_GROUP_DEPTH. */
async function groupsOf(c: Client, p: DirectoryProfile, user: Entry) {
  const found = new Map<string, string>();
  if (p.kind === 'ad') {
    // AD resolves nesting itself with LDAP_MATCHING_RULE_IN_CHAIN.
    const { searchEntries } = await c.search(p.baseDn, {
      scope: 'sub',
      attributes: ['cn'],
      filter: new EqualityFilter({ attribute: 'member:1.2.840.113556.1.4.1941:', value: user.dn }),
    });
    for (const g of searchEntries) found.set(g.dn, first(g.cn));
    return [...found].map(([dn, name]) => ({ dn, name }));
  }
  let frontier = all(user.memberOf);
  if (!frontier.length) {
    const direct = await c.search(p.baseDn, { scope: 'sub', attributes: ['cn'], filter: memberFilter([user.dn]) });
    frontier = direct.searchEntries.map((g) => g.dn);
  }
  for (const dn of frontier) found.set(dn, '');
  for (let depth = 0; frontier.length && depth < MAX_GROUP_DEPTH; depth++) {
    const { searchEntries } = await c.search(p.baseDn, { scope: 'sub', attributes: ['cn'], filter: memberFilter(frontier) });
    frontier = searchEntries.map((g) => g.dn).filter((dn) => !found.has(dn));
    for (const g of searchEntries) if (!found.get(g.dn)) found.set(g.dn, first(g.cn));
  }
  return [...found].map(([dn, name]) => ({ dn, name: name || cnOf(dn) }));
}

function memberFilter(dns: string[]): Filter {
  return new OrFilter({
    filters: dns.flatMap((dn) => [
      new EqualityFilter({ attribute: 'member', value: dn }),
      new EqualityFilter({ attribute: 'uniqueMember', value: dn }),
    ]),
  });
}

function cnOf(dn: string): string {
  return /^cn=([^,]+)/i.exec(dn)?.[1] ?? dn;
}
