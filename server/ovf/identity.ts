// A stable identity of the VM a descriptor describes, so that importing the same source twice can
// be refused even when the descriptor has no UUID (VMware writes ovf:id="vm").
import { createHash } from 'node:crypto';
import { isUuid } from './ovirtIds.ts';
import { VMW_NS } from './dom.ts';
import type { XmlElement } from './xml.ts';

/** The element as text independent of whitespace, prefixes and attribute order. */
function canonical(el: XmlElement): string {
  const attrs = el.attrs
    .map((a) => `${a.ns}|${a.local}=${JSON.stringify(a.value)}`)
    .sort()
    .join(' ');
  return `<${el.ns}|${el.local} ${attrs}>${JSON.stringify(el.text)}${el.children.map(canonical).join('')}</>`;
}

/** VMware's `56 4d 8c 48 1d e9 53 12-9e 23 96 ef 90 e2 7a 17` (or a plain UUID) as a lower-case UUID; null otherwise. */
export function vmwareUuid(value: string | null | undefined): string | null {
  const hex = (value ?? '').replace(/[\s-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex) || /^0+$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** VMware's BIOS UUID, from a `vmw:Config`/`vmw:ExtraConfig` with key `uuid.bios` (or `uuid`) anywhere in the virtual system. */
function vmwareBiosUuid(vs: XmlElement): string | null {
  const walk = (el: XmlElement): string | null => {
    for (const c of el.children) {
      if (c.ns === VMW_NS && (c.local === 'Config' || c.local === 'ExtraConfig')) {
        const key = c.attrs.find((a) => a.local === 'key')?.value;
        if (key === 'uuid.bios' || key === 'uuid') {
          const uuid = vmwareUuid(c.attrs.find((a) => a.local === 'value')?.value);
          if (uuid) return uuid;
        }
      }
      const inner = walk(c);
      if (inner) return inner;
    }
    return null;
  };
  return walk(vs);
}

/**
 * `id:<uuid>` when the source has a UUID, `vmware-bios:<uuid>` for a VMware BIOS UUID, else
 * `sha256:<hex>` of the virtual system element (the same VM exported again gives the same value).
 */
export function sourceIdentity(id: string | null, vs: XmlElement): string {
  if (isUuid(id)) return `id:${id.toLowerCase()}`;
  const bios = vmwareBiosUuid(vs);
  if (bios) return `vmware-bios:${bios}`;
  return `sha256:${createHash('sha256').update(canonical(vs)).digest('hex')}`;
}
