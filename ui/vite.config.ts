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
