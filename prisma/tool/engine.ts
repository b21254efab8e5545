// Prisma's schema engine as a library, on its Wasm build: the native binary the Prisma CLI
// wants cannot be downloaded here. Follows ../shared/prisma/REPORT.md (section 2a).
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as wasmGlue from '@prisma/schema-engine-wasm/schema_engine_bg';

export const FILTERS = { externalTables: [], externalEnums: [] };
export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../schema.prisma');
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../migrations');

/** A factory the engine can use, plus a way to close everything it opened. */
export type EngineFactory = SqlMigrationAwareDriverAdapterFactory & { closeAll(): Promise<void> };

let wasmReady = false;

function loadWasm() {
  if (wasmReady) return;
  // The package's schema_engine.js imports the .wasm bundler-style, which Node cannot load;
  // instantiate it by hand as @prisma/internals' wasmSchemaEngineLoader does.
  const dir = path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm'));
  const bytes = readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': wasmGlue as never });
  const exports = instance.exports as unknown as { __wbindgen_start(): void };
  wasmGlue.__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  wasmReady = true;
}

export async function openEngine(factory: EngineFactory) {
  loadWasm();
  const content = await fs.readFile(SCHEMA_PATH, 'utf8');
  const log = (line: string) => {
    if (process.env.DEBUG_SCHEMA_ENGINE) console.error('[schema-engine]', line);
  };
  const engine = await wasmGlue.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    schemaFiles: [{ path: SCHEMA_PATH, content }],
    async close() {
      engine.free();
      await factory.closeAll();
    },
  };
}

/** The migrations folder in the shape the engine takes (as @prisma/migrate's listMigrations). */
export async function listMigrations() {
  const lockPath = 'migration_lock.toml';
  const lockContent = await fs.readFile(path.join(MIGRATIONS_DIR, lockPath), 'utf8').catch(() => null);
  const entries = await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const dirs = [];
  for (const e of entries.filter((d) => d.isDirectory())) {
    const content = await fs.readFile(path.join(MIGRATIONS_DIR, e.name, 'migration.sql'), 'utf8').then(
      (value) => ({ tag: 'ok' as const, value }),
      (err: Error) => ({ tag: 'error' as const, value: err.message }),
    );
    dirs.push({ path: e.name, migrationFile: { path: 'migration.sql', content } });
  }
  dirs.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: lockPath, content: lockContent },
    migrationDirectories: dirs,
    shadowDbInitScript: '',
  };
}

/** `prisma migrate deploy`: applies pending migrations, returns their names. */
export async function migrateDeploy(factory: EngineFactory): Promise<string[]> {
  const e = await openEngine(factory);
  try {
    const out = await e.engine.applyMigrations({ migrationsList: await listMigrations(), filters: FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await e.close();
  }
}
