import { defineConfig } from 'prisma/config';

// No datasource: the Prisma CLI is used only for `prisma generate`. Migrations run through
// prisma/tool (the Wasm schema engine), because the native engine cannot be downloaded offline.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
