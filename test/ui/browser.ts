// Support for the portal tests: a built ui/dist served by a real engine, and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
import fs from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestEngine } from '../support/testEngine.ts';
import { UI_DIST } from '../../server/http/static.ts';
import { listen } from '../../server/http/listen.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
/** Without Chromium the browser tests are skipped, except on CI, where they must fail. */
export const runBrowserTests = hasChromium || process.env.CI === 'true';
export const SHOTS = path.resolve(import.meta.dirname, '../../test-results/ui');

export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page of a new browser context, logged in as the administrator of the test engine (the system's colour scheme: `colorScheme`). */
export async function adminPage(browser: Browser, t: TestEngine, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  return sessionPage(browser, t.adminToken, 'admin', { viewport: { width: 1400, height: 900 }, colorScheme });
}

/** A page logged in as the user whose session token this is, as the portals keep a session (localStorage); `locale`: the browser's language. */
export async function sessionPage(
  browser: Browser,
  token: string,
  userName: string,
  options: { viewport: { width: number; height: number }; colorScheme?: 'light' | 'dark'; locale?: string; acceptDownloads?: boolean },
): Promise<Page> {
  const context = await browser.newContext(options);
  await context.addInitScript(
    ([tok, user]) => {
      localStorage.setItem('vireo.token', tok!);
      localStorage.setItem('vireo.user', user!);
    },
    [token, userName],
  );
  return context.newPage();
}

/** Stops what a browser test file started, each part only if it was started: Chromium, the portals' server, the engine. */
export async function stopBrowserTest(browser: Browser | undefined, server: UiServer | undefined, t: TestEngine | undefined) {
  await browser?.close();
  await server?.stop();
  await t?.engine.monitoring.stop();
  await t?.close();
}

/**
 * Builds the portals into ui/dist, as `npm run ui:build` (without codegen: ui/src/gql is committed).
 * Browser test files run in parallel processes and share ui/dist: one builds under a lock, and a
 * build of the same sources (ui/, package-lock.json: names, sizes, times) is reused.
 */
export function buildUi() {
  const root = path.resolve(import.meta.dirname, '../..');
  const lock = path.join(os.tmpdir(), `vireo-ui-build-${createHash('sha1').update(root).digest('hex').slice(0, 12)}.lock`);
  for (let waited = 0; ; waited += 200) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A build takes well under two minutes; an older lock is a crashed run's.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000 || waited > 180_000)
        fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    const stamp = path.join(UI_DIST, '.sources');
    const sources = sourcesDigest(root);
    if (fs.existsSync(path.join(UI_DIST, 'index.html')) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === sources) return;
    execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (!fs.existsSync(path.join(UI_DIST, 'index.html'))) throw new Error('ui build wrote no index.html');
    fs.writeFileSync(stamp, sources);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function sourcesDigest(root: string) {
  const hash = createHash('sha1');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'dist' && e.name !== 'node_modules') walk(p);
        continue;
      }
      const st = fs.statSync(p);
      hash.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  walk(path.join(root, 'ui'));
  const lockFile = fs.statSync(path.join(root, 'package-lock.json'));
  hash.update(`package-lock.json\0${lockFile.size}\0${lockFile.mtimeMs}`);
  return hash.digest('hex');
}

export interface UiServer {
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/** The engine with the portals on one port (a given one, to reconnect to after a restart). */
export async function serveEngineWithUi(t: TestEngine, port = 0): Promise<UiServer> {
  const server = await listen(t.yoga, '127.0.0.1', port);
  return { origin: new URL(server.url).origin, port: server.port, stop: server.stop };
}
