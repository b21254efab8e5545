// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per package.
//   node --import tsx bench/profile.ts FILE.cpuprofile [TOP]
import fs from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  const rel = url.replace(/^file:\/\/.*?\/main\//, '');
  return rel || '(native/V8)';
}

/** The engine main thread's profile among those `--cpu-prof-dir=dir` wrote since `since` (ms): the largest (the loader thread's is small). */
export function mainThreadProfile(dir: string, since: number): string | undefined {
  return fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.cpuprofile'))
    .map((x) => path.join(dir, x))
    .filter((x) => fs.statSync(x).mtimeMs >= since)
    .sort((a, b) => fs.statSync(a).size - fs.statSync(b).size)
    .pop();
}

/**
 * `window`: only the samples between these times, in µs of the monotonic clock the profile's
 * timestamps use (`process.hrtime.bigint() / 1000n` in any process of the machine).
 */
export function summarizeProfile(file: string, top = 25, window?: { from: number; to: number }): string {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Self time per node from the sample stream (timeDeltas are µs between samples).
  let at = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) continue;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    const loc = where(n.callFrame.url);
    const key = `${name}  ${loc}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const group = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : loc;
    pkg.set(group, (pkg.get(group) ?? 0) + us);
  }
  const fmt = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  return `profile ${(total / 1e6).toFixed(1)} s sampled\nby package/file:\n${fmt(pkg, 15)}\nby function (self time):\n${fmt(fn, top)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(summarizeProfile(process.argv[2]!, Number(process.argv[3] ?? 30)));
