// A minimal XML text builder for the OVF writer: escapes text and attributes, refuses characters
// XML 1.0 cannot hold.
import { OvfInvalidError } from './errors.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML 1.0 cannot hold
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Escapes a value for XML text or a double-quoted attribute. */
export function esc(value: string): string {
  if (INVALID.test(value)) throw new OvfInvalidError(`a value holds characters XML cannot represent: ${JSON.stringify(value)}`);
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type Attrs = Record<string, string | number | boolean | null | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
}

/** Builds indented XML text line by line. */
export class XmlText {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private depth = 0;

  open(name: string, a: Attrs = {}): this {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${attrs(a)}>`);
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
    return this;
  }

  /** An element with text content (empty element when the text is empty). */
  el(name: string, text: string | number | boolean | null = null, a: Attrs = {}): this {
    const t = text === null ? '' : esc(String(text));
    this.lines.push(`${'  '.repeat(this.depth)}${t === '' ? `<${name}${attrs(a)} />` : `<${name}${attrs(a)}>${t}</${name}>`}`);
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
