// OVF manifests (.mf): one `ALGO(name)= hexdigest` line per file of the package.
import { OvaError } from './errors.ts';

export type DigestAlgorithm = 'SHA1' | 'SHA256';

export interface ManifestEntry {
  algorithm: DigestAlgorithm;
  digest: string;
}

/** Formats a manifest with SHA256 lines, in the order given. */
export function formatManifest(digests: { name: string; sha256: string }[]): string {
  return digests.map((d) => `SHA256(${d.name})= ${d.sha256}\n`).join('');
}

/** Parses a manifest; throws OvaError OVA_INVALID on a malformed line, an unknown algorithm or a repeated name. */
export function parseManifest(text: string, entryName: string): Map<string, ManifestEntry> {
  const out = new Map<string, ManifestEntry>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^(SHA1|SHA256)\((.+)\)\s*=\s*([0-9a-fA-F]+)\s*$/.exec(line.trim());
    if (!m)
      throw new OvaError(
        'OVA_INVALID',
        `Manifest ${entryName}: cannot read line "${line.slice(0, 200)}" (only SHA1 and SHA256 are supported).`,
        entryName,
      );
    const [, algorithm, name, digest] = m as unknown as [string, DigestAlgorithm, string, string];
    const expected = algorithm === 'SHA1' ? 40 : 64;
    if (digest.length !== expected)
      throw new OvaError(
        'OVA_INVALID',
        `Manifest ${entryName}: ${algorithm} digest of ${name} has ${digest.length} hex digits.`,
        entryName,
      );
    if (out.has(name)) throw new OvaError('OVA_INVALID', `Manifest ${entryName} lists ${name} twice.`, entryName);
    out.set(name, { algorithm, digest: digest.toLowerCase() });
  }
  return out;
}
