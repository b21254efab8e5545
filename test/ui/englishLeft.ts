// What of a page is still English in a Chinese portal: the Latin words of its text that are not a
// name, a unit, a protocol, the language switch's "English" or the administrator's display name.
import type { Page } from 'playwright-core';

/** Names the language tests give their objects (lang-dc, lang-vmnet…) and the administrator's. */
const NAMES = ['lang', 'dc', 'data', 'vm', 'vmnet', 'cluster', 'host', 'tpl', 'user', 'group', 'role', 'admin', 'internal', 'ovirtmgmt'];
/** The cluster's CPU model, units, protocols and product names, written the same in Chinese. */
const TERMS = ['Intel', 'Skylake', 'Server', 'Family', 'NFS', 'GiB', 'MiB', 'KiB', 'Vireo', 'English', 'Administrator', 'SPM', 'CPU'];
TERMS.push('IP', 'VLAN', 'MTU', 'cloud', 'init', 'libvirt', 'SSH', 'OpenSSH', 'DNS', 'DHCP', 'OVA', 'OVF', 'VNC', 'SPICE');

/**
 * The Latin words left in `root` (the navigation and tree included for #app) but those above and
 * `identifiers`. The engine's own text (reasons, event messages and codes, job descriptions,
 * built-in roles' descriptions) is not the portal's: it is marked data-engine-text and left out.
 * With `attributes`, what a user hears but does not see too: accessible names and placeholders.
 */
export async function englishLeft(page: Page, root = '#app', identifiers: string[] = [], attributes = false): Promise<string[]> {
  const text = await page.locator(root).evaluate((app, withAttributes) => {
    const walk = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
    const parts: string[] = [];
    while (walk.nextNode())
      if (!walk.currentNode.parentElement?.closest('[data-engine-text]')) parts.push(walk.currentNode.nodeValue ?? '');
    if (withAttributes)
      for (const el of app.querySelectorAll('[aria-label], [placeholder]'))
        if (!el.closest('[data-engine-text]')) parts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('placeholder') ?? '');
    return parts.join(' ');
  }, attributes);
  const words = text.match(/[A-Za-z]{2,}/g) ?? [];
  return [...new Set(words)].filter((w) => !NAMES.includes(w) && !TERMS.includes(w) && !identifiers.includes(w));
}
