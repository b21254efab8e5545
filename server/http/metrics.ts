// GET /metrics: the engine's Prometheus/OpenMetrics exposition (server/metrics/). Scraped with an
// API token (`Authorization: Bearer vireo_api_…`, Prometheus's `authorization.credentials`) whose
// user holds an administrator role on System: ReadOnlyAdmin is enough (as a Proxmox exporter
// reads with PVEAuditor on /), SuperUser too; a token scoped to an object or to saved operations
// is refused, since the figures cover the whole system.
import type { Plugin } from 'graphql-yoga';
import type { Engine } from '../engine.ts';
import { bearerToken } from '../auth/requestActor.ts';
import { actorForApiToken, isApiToken } from '../auth/apiTokens.ts';
import { visibilityOf } from '../auth/permissions.ts';

export const METRICS_PATH = '/metrics';

function text(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

export async function handleMetricsRequest(engine: Engine, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Only GET reads the metrics.');
  const token = bearerToken(request.headers.get('authorization'));
  const challenge = { 'www-authenticate': 'Bearer realm="vireo"' };
  if (!token || !isApiToken(token)) return text(401, 'Send an API token: Authorization: Bearer vireo_api_… (createApiToken).', challenge);
  const actor = await actorForApiToken(engine.db, token);
  if (!actor) return text(401, 'The API token is unknown, expired or revoked.', challenge);
  const visibility = await visibilityOf(engine.db, actor);
  if (!visibility.all || !visibility.admin || actor.token?.operations)
    return text(
      403,
      'Reading metrics needs an API token of a user with an administrator role (such as ReadOnlyAdmin) on System, not limited to an object or to saved operations.',
    );
  const openMetrics = /application\/openmetrics-text/i.test(request.headers.get('accept') ?? '');
  const registry = openMetrics ? engine.metrics.openMetrics : engine.metrics.registry;
  const body = request.method === 'HEAD' ? null : await registry.metrics();
  return new Response(body, { status: 200, headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}

/** Yoga plugin answering /metrics before GraphQL. */
export function metricsEndpoint(engine: Engine): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === METRICS_PATH) endResponse(await handleMetricsRequest(engine, request));
    },
  };
}
