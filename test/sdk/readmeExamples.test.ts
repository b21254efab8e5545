// The SDK README's examples, each run as its own script (as a reader would run it) against a real
// engine process with the demo inventory.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  loginAdmin,
  PROCESS_ADMIN_PASSWORD,
  startEngineProcess,
  waitForDemoStarted,
  type EngineProcess,
} from '../support/engineProcess.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let engine: EngineProcess;
let dataDir: string;
let examples: string[];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-sdk-'));
  engine = await startEngineProcess({ VIREO_DATA_DIR: dataDir, DATABASE_URL: '', VIREO_DEMO: '1' }, 240_000);
  await waitForDemoStarted(engine.url, await loginAdmin(engine.url));
  const readme = await fs.readFile(path.join(ROOT, 'sdk/README.md'), 'utf8');
  examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  await fs.mkdir(path.join(ROOT, 'sdk/.examples'), { recursive: true });
}, 540_000);
afterAll(async () => {
  await engine?.kill();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Runs the README's n-th example (from 1) as a script in the checkout; returns what it printed. */
async function example(n: number): Promise<string> {
  const file = path.join(ROOT, `sdk/.examples/example${n}.ts`);
  await fs.writeFile(file, examples[n - 1]!);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, VIREO_URL: engine.url, VIREO_PASSWORD: PROCESS_ADMIN_PASSWORD },
    timeout: 60_000,
  });
  return stdout;
}

it('has three examples', () => {
  expect(examples).toHaveLength(3);
});

it('logs in and lists the VMs of a cluster', { timeout: 180_000 }, async () => {
  const out = await example(1);
  expect(out).toContain('12 VMs in Production');
  expect(out).toMatch(/^web01 (DOWN|UP|POWERING_UP) \S+ \d+ MiB$/m);
});

it('adds and starts a VM, follows its job to the end, and gets the refusal of a second start by type', { timeout: 180_000 }, async () => {
  const out = await example(2);
  expect(out).toMatch(/: 100%$/m);
  expect(out).toMatch(/^job FINISHED; \S+ is UP on \S+$/m);
  expect(out).toMatch(/^refused: VM_IS_RUNNING /m);
  expect(out).toContain("canRunVm: [ 'VM_IS_RUNNING' ]");
});

it('makes an API token, streams events with it, is refused an action, and stops on revocation', { timeout: 180_000 }, async () => {
  const out = await example(3);
  expect(out).toMatch(/^event: .*sdk-example/m);
  expect(out).toContain('read-only token: ForbiddenError');
  expect(out).toContain('after revoke: UNAUTHENTICATED');
});
