// A throwaway OpenLDAP slapd on 127.0.0.1 for one test file: its own config and data folder,
// seeded with users, nested groups and a disabled (ppolicy-locked) user; stopped by its own pid.
import { freePort } from './freePort.ts';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DirectoryProfile } from '../../server/auth/directoryConfig.ts';

export const BASE = 'dc=example,dc=org';
const ADMIN = `cn=admin,${BASE}`;
const ADMIN_PASSWORD = 'adminsecret';

export function slapdAvailable(): boolean {
  return fs.existsSync('/usr/sbin/slapd') && fs.existsSync('/usr/bin/ldapadd');
}

const SEED = `dn: ${BASE}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE}
objectClass: organizationalUnit
ou: groups

dn: uid=alice,ou=people,${BASE}
objectClass: inetOrgPerson
uid: alice
cn: Alice Admin
sn: Admin
mail: alice@example.org
userPassword: alicepass

dn: uid=bob,ou=people,${BASE}
objectClass: inetOrgPerson
uid: bob
cn: Bob User
sn: User
mail: bob@example.org
userPassword: bobpass

dn: uid=carol,ou=people,${BASE}
objectClass: inetOrgPerson
uid: carol
cn: Carol Gone
sn: Gone
userPassword: carolpass

dn: cn=vm-admins,ou=groups,${BASE}
objectClass: groupOfNames
cn: vm-admins
member: uid=alice,ou=people,${BASE}

dn: cn=ops,ou=groups,${BASE}
objectClass: groupOfNames
cn: ops
member: cn=vm-admins,ou=groups,${BASE}

dn: cn=staff,ou=groups,${BASE}
objectClass: groupOfNames
cn: staff
member: cn=ops,ou=groups,${BASE}
member: uid=bob,ou=people,${BASE}
`;

export interface Slapd {
  profile: DirectoryProfile;
  url: string;
  /** ldaps:// URL of the same server (certificate for 127.0.0.1 signed by `caFile`). */
  ldapsUrl: string;
  caFile: string;
  stop(): Promise<void>;
}

/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl. */
function makeCertificates(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Vireo test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
}

export async function startSlapd(): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-slapd-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const port = await freePort();
  const tlsPort = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  makeCertificates(dir);
  fs.writeFileSync(
    path.join(dir, 'slapd.conf'),
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
TLSCACertificateFile ${dir}/ca.pem
TLSCertificateFile ${dir}/server.pem
TLSCertificateKeyFile ${dir}/server.key
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload ppolicy
database mdb
maxsize 104857600
suffix "${BASE}"
rootdn "${ADMIN}"
rootpw ${ADMIN_PASSWORD}
directory ${dir}/data
index objectClass eq
index uid,cn,member eq
overlay memberof
overlay ppolicy
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
`,
  );
  const child: ChildProcess = spawn('/usr/sbin/slapd', ['-d', '0', '-f', path.join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`], {
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      try {
        execFileSync('ldapsearch', ['-x', '-H', url, '-b', '', '-s', 'base'], { stdio: 'ignore' });
        break;
      } catch {
        if (i > 100) throw new Error('slapd did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    execFileSync('ldapadd', ['-x', '-H', url, '-D', ADMIN, '-w', ADMIN_PASSWORD], { input: SEED, stdio: ['pipe', 'ignore', 'inherit'] });
    // Carol is locked by the password policy: the disabled account of an OpenLDAP directory.
    execFileSync('ldapmodify', ['-x', '-H', url, '-D', ADMIN, '-w', ADMIN_PASSWORD], {
      input: `dn: uid=carol,ou=people,${BASE}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    ldapsUrl,
    caFile: path.join(dir, 'ca.pem'),
    profile: {
      name: 'example.org',
      kind: 'openldap',
      url,
      startTls: false,
      bindDn: ADMIN,
      bindPassword: ADMIN_PASSWORD,
      baseDn: BASE,
      timeoutMs: 3000,
    },
    stop,
  };
}
