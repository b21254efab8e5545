// Lookups on the parsed OVF tree by namespace URI and local name, tolerant of the namespace
// variants producers use (oVirt's trailing slash, unqualified elements, InstanceId vs InstanceID).
import type { XmlElement } from './xml.ts';

export const OVF_NS = 'http://schemas.dmtf.org/ovf/envelope/1';
export const OVIRT_OVF_NS = `${OVF_NS}/`;
export const RASD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData';
export const VSSD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const VMW_NS = 'http://www.vmware.com/schema/ovf';
export const VBOX_NS = 'http://www.virtualbox.org/ovf/machine';

/** True for the OVF envelope namespace (1.x or 2.x, with or without oVirt's trailing slash). */
export function isOvfNs(ns: string): boolean {
  return /^http:\/\/schemas\.dmtf\.org\/ovf\/envelope\/[12]\/?$/.test(ns);
}

/** OVF elements: in the envelope namespace, or unqualified as oVirt writes them. */
function isOvfOrPlain(ns: string): boolean {
  return ns === '' || isOvfNs(ns);
}

/** True for the CIM setting-data namespaces of Items (rasd, and OVF 2's sasd/epasd). */
export function isCimNs(ns: string): boolean {
  return ns.includes('/cim-schema/2/CIM_');
}

/** OVF children of `el` with this local name. */
export function children(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && isOvfOrPlain(c.ns));
}

/** The first OVF child of `el` with this local name. */
export function child(el: XmlElement, local: string): XmlElement | undefined {
  return children(el, local)[0];
}

/** Text of the first OVF child with this local name, or null. */
export function childText(el: XmlElement, local: string): string | null {
  return child(el, local)?.text ?? null;
}

/** An attribute in the OVF namespace or unqualified, or null. */
export function attr(el: XmlElement, local: string): string | null {
  return el.attrs.find((a) => a.local === local && isOvfOrPlain(a.ns))?.value ?? null;
}

/** An attribute in a given namespace, or null. */
export function attrNs(el: XmlElement, ns: string, local: string): string | null {
  return el.attrs.find((a) => a.local === local && a.ns === ns)?.value ?? null;
}

/** Text of an Item's CIM property (case-insensitive local name: oVirt writes InstanceId), or null. */
export function cim(item: XmlElement, local: string): string | null {
  const l = local.toLowerCase();
  return item.children.find((c) => isCimNs(c.ns) && c.local.toLowerCase() === l)?.text ?? null;
}

/** The local part of an xsi:type value (`ovf:DiskSection_Type` → `DiskSection_Type`), or null. */
export function xsiType(el: XmlElement): string | null {
  const v = attrNs(el, XSI_NS, 'type');
  return v === null ? null : v.slice(v.indexOf(':') + 1);
}

/** The kind of a section: its local name, or for oVirt's `<Section xsi:type="ovf:X_Type">`, X. */
export function sectionKind(el: XmlElement): string {
  if ((el.local === 'Section' || el.local === 'Content') && isOvfOrPlain(el.ns)) {
    const t = xsiType(el);
    if (t) return t.replace(/_Type$/, '');
  }
  return el.local;
}

/** Child sections of `el` of a kind (e.g. `DiskSection`), whichever way they are written. */
export function sections(el: XmlElement, kind: string): XmlElement[] {
  return el.children.filter((c) => isOvfOrPlain(c.ns) && sectionKind(c) === kind);
}

/** A descendant element by local name in any namespace (for vendor blocks such as vbox:Machine). */
export function descendants(el: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.local === local) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
