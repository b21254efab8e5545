import fs from 'node:fs';
import { z } from 'zod';

/** One LDAP directory users can log in from, as `user` with profile `name` (oVirt's aaa-ldap profile). */
export const DirectoryProfile = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'profile names are letters, digits, "." and "-"')
    .refine((n) => n !== 'internal', 'internal is the local profile'),
  kind: z.enum(['openldap', 'ipa', 'ad']).default('openldap'),
  url: z.string().regex(/^ldaps?:\/\//, 'must be ldap:// or ldaps://'),
  startTls: z.boolean().default(false),
  /** PEM file of the CA that signed the server's certificate (LDAPS and StartTLS). */
  caFile: z.string().optional(),
  /** Service account used to search; anonymous search when absent. */
  bindDn: z.string().optional(),
  bindPassword: z.string().optional(),
  baseDn: z.string().min(1),
  /** Attribute holding the login name: uid (OpenLDAP, IPA) or sAMAccountName (AD). */
  userAttribute: z.string().optional(),
  timeoutMs: z.number().int().positive().default(5000),
});
export type DirectoryProfile = z.infer<typeof DirectoryProfile>;

/** Profiles from VIREO_DIRECTORIES (a JSON array) or the JSON file VIREO_DIRECTORIES_FILE names. */
export function loadDirectoryProfiles(env: NodeJS.ProcessEnv = process.env): DirectoryProfile[] {
  const text = env.VIREO_DIRECTORIES_FILE ? fs.readFileSync(env.VIREO_DIRECTORIES_FILE, 'utf8') : env.VIREO_DIRECTORIES;
  if (!text) return [];
  const profiles = z.array(DirectoryProfile).parse(JSON.parse(text));
  const names = profiles.map((p) => p.name);
  if (new Set(names).size !== names.length) throw new Error('two directory profiles have the same name');
  return profiles;
}
