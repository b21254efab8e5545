// DMTF programmatic units (DSP0004): "byte * 2^30", "byte*10^9", "MegaBytes", …

const NAMED: Record<string, bigint> = {
  byte: 1n,
  bytes: 1n,
  b: 1n,
  kilobyte: 1024n,
  kilobytes: 1024n,
  kb: 1024n,
  kib: 1024n,
  megabyte: 1024n ** 2n,
  megabytes: 1024n ** 2n,
  mb: 1024n ** 2n,
  mib: 1024n ** 2n,
  gigabyte: 1024n ** 3n,
  gigabytes: 1024n ** 3n,
  gb: 1024n ** 3n,
  gib: 1024n ** 3n,
  terabyte: 1024n ** 4n,
  terabytes: 1024n ** 4n,
  tb: 1024n ** 4n,
  tib: 1024n ** 4n,
};

/**
 * Returns how many bytes one unit of `units` is, or null if the string is not a byte unit.
 * Accepts `byte`, `byte * 2^30`, `byte * 1024 * 2^10`, and the names oVirt and VirtualBox use
 * (`MegaBytes`, `GigaBytes`, `KB`…). Named units are binary, as those producers mean them.
 */
export function bytesPerUnit(units: string): bigint | null {
  const s = units.trim().toLowerCase();
  if (s in NAMED) return NAMED[s]!;
  const parts = s.split('*').map((p) => p.trim());
  if (parts[0] !== 'byte' && parts[0] !== 'bytes') return null;
  let factor = 1n;
  for (const part of parts.slice(1)) {
    const m = /^(\d{1,4})(?:\s*\^\s*(\d{1,3}))?$/.exec(part);
    if (!m) return null;
    factor *= BigInt(m[1]!) ** BigInt(m[2] ?? '1');
  }
  return factor;
}

/**
 * Parses a non-negative integer quantity times a unit into bytes; null when the quantity is not an
 * integer, the unit is unknown, or the result is beyond Number.MAX_SAFE_INTEGER.
 */
export function toBytes(quantity: string, units: string | null | undefined): number | null {
  const q = quantity.trim();
  if (!/^\d{1,20}$/.test(q)) return null;
  const per = units == null || units.trim() === '' ? 1n : bytesPerUnit(units);
  if (per === null) return null;
  const bytes = BigInt(q) * per;
  return bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : null;
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
