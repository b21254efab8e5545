// Safe XML parsing into a small namespace-aware element tree. fast-xml-parser does the
// tokenising; namespaces are resolved here so callers match by URI + local name, never by prefix.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OvfMalformedError, OvfTooLargeError, OvfUnsafeError } from './errors.ts';

export interface XmlAttr {
  ns: string;
  local: string;
  value: string;
}

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  local: string;
  attrs: XmlAttr[];
  children: XmlElement[];
  /** Concatenated, trimmed text content of this element (not of its children). */
  text: string;
}

/** Default size limit of a descriptor: real ones are a few kilobytes. */
export const DEFAULT_MAX_XML_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ATTR = '@_';

type OrderedNode = Record<string, unknown>;

/**
 * Parses an XML document safely: refuses DOCTYPE (so no DTD, no entity declarations, no
 * external entities, no "billion laughs"), enforces a size and depth limit, and reports
 * malformed XML as OvfMalformedError with line and column.
 */
export function parseXml(input: string | Uint8Array, maxBytes = DEFAULT_MAX_XML_BYTES): XmlElement {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) throw new OvfTooLargeError(size, maxBytes);
  let xml: string;
  try {
    xml = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new OvfMalformedError('the document is not valid UTF-8');
  }
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new OvfUnsafeError('DOCTYPE and entity declarations are not allowed in an OVF descriptor');
  }
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) throw new OvfMalformedError(valid.err.msg, valid.err.line, valid.err.col);

  let nodes: OrderedNode[];
  try {
    const parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: ATTR,
      removeNSPrefix: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      processEntities: true,
      htmlEntities: true,
      maxNestedTags: MAX_DEPTH,
    });
    nodes = parser.parse(xml) as OrderedNode[];
  } catch (e) {
    throw new OvfMalformedError(e instanceof Error ? e.message : String(e));
  }
  const roots = nodes.filter((n) => elementName(n) !== null);
  if (roots.length !== 1) throw new OvfMalformedError(`expected one root element, found ${roots.length}`);
  return toElement(roots[0]!, new Map([['xml', XML_NS]]), 0);
}

function elementName(node: OrderedNode): string | null {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return null;
}

function splitName(qname: string): [string | null, string] {
  const i = qname.indexOf(':');
  return i < 0 ? [null, qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

function toElement(node: OrderedNode, parentScope: Map<string, string>, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw new OvfMalformedError(`elements nested deeper than ${MAX_DEPTH}`);
  const qname = elementName(node)!;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const scope = new Map(parentScope);
  for (const [key, value] of Object.entries(rawAttrs)) {
    const name = key.slice(ATTR.length);
    if (name === 'xmlns') scope.set('', String(value));
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), String(value));
  }
  const resolve = (prefix: string | null, isAttr: boolean): string => {
    if (prefix === null) return isAttr ? '' : (scope.get('') ?? '');
    const uri = scope.get(prefix);
    if (uri === undefined) throw new OvfMalformedError(`undeclared namespace prefix "${prefix}"`);
    return uri;
  };
  const attrs: XmlAttr[] = [];
  for (const [key, value] of Object.entries(rawAttrs)) {
    const name = key.slice(ATTR.length);
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const [prefix, local] = splitName(name);
    attrs.push({ ns: resolve(prefix, true), local, value: String(value) });
  }
  const [prefix, local] = splitName(qname);
  const children: XmlElement[] = [];
  const text: string[] = [];
  for (const child of (node[qname] ?? []) as OrderedNode[]) {
    if ('#text' in child) text.push(String(child['#text']));
    else if (elementName(child) !== null) children.push(toElement(child, scope, depth + 1));
  }
  return { ns: resolve(prefix, false), local, attrs, children, text: text.join('').trim() };
}
