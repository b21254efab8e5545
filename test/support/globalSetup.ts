// Migrates one database for the whole run; each test file then starts from a copy of it:
// on PostgreSQL (DATABASE_URL) a database made from a template, otherwise an in-memory PGlite
// loaded from a dump of a migrated one.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { migrateDeploy } from '../../prisma/tool/engine.ts';
import { pgFactory, pgliteFactory } from '../../prisma/tool/adapters.ts';
import { withDatabase } from './databaseUrl.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgresql:// URL of the migrated template database, when testing on PostgreSQL. */
    templateUrl: string | null;
    /** File holding a dump of a migrated PGlite data directory, when testing embedded. */
    pgliteDump: string | null;
  }
}

export default async function setup(project: TestProject) {
  // Disk images the test engines create go to a directory in the OS temp dir, not the project's
  // ./data; removed at the end unless the caller chose the directory.
  const dataDir = process.env.VIREO_DATA_DIR ? null : await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-test-data-'));
  if (dataDir) process.env.VIREO_DATA_DIR = dataDir;
  const removeDataDir = () => (dataDir ? fs.rm(dataDir, { recursive: true, force: true }) : Promise.resolve());
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `vireo_test_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const templateUrl = withDatabase(url, template);
    await migrateDeploy(pgFactory(templateUrl));
    project.provide('templateUrl', templateUrl);
    project.provide('pgliteDump', null);
    return async () => {
      // Test files drop their own databases; drop what a crashed one left, then the template.
      const left = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'vireo_test_${process.pid}_%'`,
      );
      for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
      await removeDataDir();
    };
  }
  const db = new PGlite('memory://');
  await migrateDeploy(pgliteFactory(db));
  const dump = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-test-')), 'pglite.tar');
  await fs.writeFile(dump, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  await db.close();
  project.provide('templateUrl', null);
  project.provide('pgliteDump', dump);
  return async () => {
    await fs.rm(path.dirname(dump), { recursive: true, force: true });
    await removeDataDir();
  };
}
