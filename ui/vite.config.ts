// Two entries, one build: the admin portal at / and the user portal at /portal/.
// `npm run ui:dev` proxies /graphql (HTTP and WebSocket) to an engine on :8080.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  // vue-i18n's esm-bundler build: the Composition API only, no devtools hooks in production.
  define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { admin: `${root}index.html`, portal: `${root}portal/index.html` },
    },
  },
  server: {
    proxy: { '/graphql': { target: process.env.VIREO_ENGINE ?? 'http://127.0.0.1:8080', ws: true } },
  },
});
