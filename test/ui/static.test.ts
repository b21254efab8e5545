// server/http/static.ts: which file answers which path, without a browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFile, serveUi } from '../../server/http/static.ts';

let dist: string;
beforeAll(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.mkdirSync(path.join(dist, 'portal'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<title>admin</title>');
  fs.writeFileSync(path.join(dist, 'portal', 'index.html'), '<title>portal</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
});
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

describe('resolveFile', () => {
  it('serves assets, and each portal its index.html for client-side routes', () => {
    expect(resolveFile(dist, '/assets/app-abc123.js')).toBe(path.join(dist, 'assets', 'app-abc123.js'));
    expect(resolveFile(dist, '/')).toBe(path.join(dist, 'index.html'));
    expect(resolveFile(dist, '/vms/VXNlcjox')).toBe(path.join(dist, 'index.html'));
    expect(resolveFile(dist, '/portal')).toBe(path.join(dist, 'portal', 'index.html'));
    expect(resolveFile(dist, '/portal/anything')).toBe(path.join(dist, 'portal', 'index.html'));
  });

  it('never leaves the dist directory, and does not answer a missing asset with HTML', () => {
    expect(resolveFile(dist, '/../../etc/passwd')).toBe(path.join(dist, 'index.html'));
    expect(resolveFile(dist, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(dist, 'index.html'));
    expect(resolveFile(dist, '/assets/gone-999.js')).toBeNull();
  });

  it('returns null when the portals are not built', () => {
    expect(resolveFile(path.join(dist, 'nope'), '/')).toBeNull();
  });
});

describe('serveUi', () => {
  it('passes /graphql, /ova and /reports/ downloads and non-GET requests to the engine, and serves the rest', async () => {
    const server = http.createServer(
      serveUi(
        (_req, res) => {
          res.end('engine');
        },
        { distDir: dist },
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/graphql?query={__typename}`)).text()).toBe('engine');
      expect(await (await fetch(`${base}/ova/vm/abc`)).text()).toBe('engine');
      expect(await (await fetch(`${base}/reports/inventory.csv`)).text()).toBe('engine');
      // The portal's Reports page is not a download.
      expect(await (await fetch(`${base}/reports`)).text()).toContain('admin');
      expect(await (await fetch(`${base}/`, { method: 'POST' })).text()).toBe('engine');
      const page = await fetch(`${base}/clusters/abc`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('admin');
      const asset = await fetch(`${base}/assets/app-abc123.js`);
      expect(asset.headers.get('content-type')).toContain('text/javascript');
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${base}/assets/gone.js`)).status).toBe(404);
      expect(await (await fetch(`${base}/portal/`)).text()).toContain('portal');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
