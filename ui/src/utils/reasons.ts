// Reasons ({ code, message }) as text: each message a sentence starting with a capital, unless it
// starts with a name, which keeps its case.

/**
 * "host h1 lacks network x." → "Host h1 lacks network x."; a first word that is not a plain
 * lower-case word is a name and is left as it is: "admin@internal …", "web01 …", "fence_ipmilan …".
 */
export function sentence(message: string): string {
  const m = message.trim();
  return /^[a-z]+(\s|$)/.test(m) ? m.charAt(0).toUpperCase() + m.slice(1) : m;
}

/** Every distinct message, in order, as sentences. */
export function reasonSentences(reasons: readonly { message: string }[]): string {
  return [...new Set(reasons.map((r) => sentence(r.message)))].join(' ');
}

interface Check {
  allowed: boolean;
  reasons: { code: string; message: string }[];
}

/**
 * The refusals of a row of buttons, once per reason: each code with the buttons it disables and
 * its messages. One line per code when its messages go with the same buttons ("HOST_LACKS_NETWORK
 * Run, Migrate: Host h1 lacks … Host h2 lacks …") or differ only after "; " (what could not be
 * done: "VM x is DOWN."); otherwise one line per message, each with its buttons.
 */
export function groupRefusals(items: readonly { label: string; check?: Check | null }[]) {
  const byCode = new Map<string, Map<string, string[]>>();
  for (const { label, check } of items) {
    if (!check || check.allowed) continue;
    for (const r of check.reasons) {
      const messages = byCode.get(r.code) ?? new Map<string, string[]>();
      const text = sentence(r.message);
      const labels = messages.get(text) ?? [];
      if (!labels.includes(label)) labels.push(label);
      messages.set(text, labels);
      byCode.set(r.code, messages);
    }
  }
  const lines: { key: string; code: string; labels: string[]; message: string }[] = [];
  for (const [code, messages] of byCode) {
    const texts = [...messages.keys()];
    const allLabels = [...new Set([...messages.values()].flat())];
    const heads = new Set(texts.map((m) => m.split('; ')[0]));
    const sameButtons = new Set([...messages.values()].map((l) => l.join())).size === 1;
    if (texts.length > 1 && heads.size === 1 && texts.every((m) => m.includes('; ')))
      lines.push({ key: code, code, labels: allLabels, message: `${[...heads][0]!.replace(/\.$/, '')}.` });
    else if (sameButtons) lines.push({ key: code, code, labels: allLabels, message: texts.join(' ') });
    else for (const [i, m] of texts.entries()) lines.push({ key: `${code}:${i}`, code, labels: messages.get(m)!, message: m });
  }
  return lines;
}
