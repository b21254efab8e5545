// The built web portals (ui/dist) on the engine's HTTP server, beside /graphql:
// the admin portal at /, the user portal at /portal/. Paths that are not files get their
// portal's index.html, so client-side routes survive a reload. Everything else goes to `next`.
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';

/** Where `npm run ui:build` writes the portals. */
export const UI_DIST = path.resolve(import.meta.dirname, '../../ui/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticUiOptions {
  /** The built portals; defaults to ui/dist. */
  distDir?: string;
  /**
   * Paths, with what is below them, left to `next`: the GraphQL endpoint, the OVA and report
   * downloads, ISO uploads, the hosts' image transfers and the metrics. One ending in `/` leaves only what is
   * below it (`/reports/` the downloads; `/reports` itself is the portal's Reports page).
   */
  apiPaths?: string[];
}

/**
 * Wraps a request handler (the Yoga app) so that GET/HEAD requests outside the API paths serve the
 * portals. `http.createServer(serveUi(yoga))`: the WebSocket upgrade on /graphql is untouched.
 */
export function serveUi(next: http.RequestListener, options: StaticUiOptions = {}): http.RequestListener {
  const root = options.distDir ?? UI_DIST;
  const apis = options.apiPaths ?? ['/graphql', '/ova', '/transfers', '/iso-images/', '/reports/', '/metrics'];
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://vireo');
    const isApi = apis.some((api) =>
      api.endsWith('/') ? url.pathname.startsWith(api) : url.pathname === api || url.pathname.startsWith(`${api}/`),
    );
    if (isApi || (req.method !== 'GET' && req.method !== 'HEAD')) return void next(req, res);
    const file = resolveFile(root, url.pathname);
    if (!file && url.pathname.startsWith('/assets/')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    if (!file) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The web portals are not built: run `npm run ui:build`.\n');
      return;
    }
    sendFile(req, res, file);
  };
}

/** The file for a request path: a file if it exists, else its portal's index.html; null if none. */
export function resolveFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  const candidate = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  // Never outside the dist directory (normalize removed "..", this is the belt to those braces).
  if (candidate.startsWith(root + path.sep) && isFile(candidate)) return candidate;
  // A missing asset is a 404, not index.html served where JavaScript was expected.
  if (decoded.startsWith('/assets/')) return null;
  const portal = decoded === '/portal' || decoded.startsWith('/portal/');
  const index = path.join(root, portal ? 'portal' : '', 'index.html');
  return isFile(index) ? index : null;
}

function isFile(p: string) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string) {
  const ext = path.extname(file);
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  const stat = fs.statSync(file);
  res.writeHead(200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': stat.size,
    // Vite puts a content hash in asset names; index.html must always be revalidated.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(file).pipe(res);
}
