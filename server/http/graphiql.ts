// GraphiQL at /graphql served wholly by the engine, so it works without internet: the page is
// Yoga's own GraphiQL (the @graphql-yoga/render-graphiql bundle), but its script, style and
// editor workers are files under /graphql/graphiql/ instead of a CDN's or one 9 MB page. The bundle
// is read on the first request for it, not at start-up.
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

export const GRAPHIQL_ASSETS = '/graphql/graphiql/';

/** What @graphql-yoga/render-graphiql/graphiql exports: the GraphiQL build as strings. */
type Bundle = Record<'js' | 'css' | 'favicon' | 'editorWorkerService' | 'jsonWorker' | 'graphqlWorker', string>;
const BUNDLE = '@graphql-yoga/render-graphiql/graphiql';
let bundle: Promise<Bundle> | undefined;
const loadBundle = () => {
  bundle ??= import(BUNDLE) as Promise<Bundle>;
  return bundle;
};

/** Each file: the bundle's export and its content type. */
const FILES: Record<string, [keyof Bundle, string]> = {
  'yoga-graphiql.js': ['js', 'text/javascript; charset=utf-8'],
  'graphiql.css': ['css', 'text/css; charset=utf-8'],
  'editor.worker.js': ['editorWorkerService', 'text/javascript; charset=utf-8'],
  'json.worker.js': ['jsonWorker', 'text/javascript; charset=utf-8'],
  'graphql.worker.js': ['graphqlWorker', 'text/javascript; charset=utf-8'],
};
const WORKERS = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The GraphiQL page (Yoga's `renderGraphiQL` option), loading everything from the engine. */
export function renderGraphiQL(opts: GraphiQLOptions): string {
  const title = (opts.title ?? 'GraphiQL').replace(/[<>&"]/g, '');
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, `${GRAPHIQL_ASSETS}${file}`]));
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${GRAPHIQL_ASSETS}favicon.ico" />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root">Loading ${title}…</div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
    </script>
    <script src="${GRAPHIQL_ASSETS}yoga-graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(opts)});
    </script>
  </body>
</html>`;
}

/** Serves GraphiQL's files under /graphql/graphiql/ (GET, cached by the browser for a day). */
export function graphiqlAssets(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS) || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const name = url.pathname.slice(GRAPHIQL_ASSETS.length);
      const headers = { 'cache-control': 'public, max-age=86400' };
      if (name === 'favicon.ico') {
        const { favicon } = await loadBundle();
        const [meta, data] = favicon.split(',', 2) as [string, string];
        const type = /^data:([^;]+)/.exec(meta)?.[1] ?? 'image/x-icon';
        endResponse(new Response(Buffer.from(data, 'base64'), { headers: { ...headers, 'content-type': type } }));
        return;
      }
      const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (!file) {
        endResponse(new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      const content = (await loadBundle())[file[0]];
      endResponse(new Response(request.method === 'HEAD' ? null : content, { headers: { ...headers, 'content-type': file[1] } }));
    },
  };
}
