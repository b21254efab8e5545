// Driver-adapter factories for the schema engine, with the fixes REPORT.md section 2b lists.
import pg from 'pg';
import { parse as parsePgUrl } from 'pg-connection-string';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type { EngineFactory } from './engine.ts';

type PgResult = { fields?: { dataTypeID: number }[] };

// adapter-pg cannot read PostgreSQL's internal "char" type (OID 18), which the engine's catalog
// queries return: report such columns as text (OID 25).
class CharAsTextClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: overrides pg.Client.query, whose overloads no one typed signature can implement
  override query(...args: any[]): any {
    const fix = (r: PgResult | PgResult[]) => {
      for (const one of Array.isArray(r) ? r : [r]) for (const f of one?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
      return r;
    };
    const i = args.findIndex((a) => typeof a === 'function'); // pg-pool calls with a callback
    if (i >= 0) {
      const cb = args[i];
      args[i] = (err: unknown, res: PgResult) => cb(err, err ? res : fix(res));
    }
    const res = (super.query as (...a: unknown[]) => unknown)(...args);
    return res && typeof (res as Promise<PgResult>).then === 'function' ? (res as Promise<PgResult>).then(fix) : res;
  }
}

// adapter-pg splits scripts on ";" (breaks $$ bodies, runs statements outside one transaction):
// send the whole script as one simple-protocol query, as the native engine does.
function wholeScript(adapter: SqlDriverAdapter & { underlyingDriver(): pg.Pool }) {
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}

/** PostgreSQL server. Shadow databases are temporary databases (the role needs CREATEDB). */
export function pgFactory(url: string): EngineFactory {
  // A parsed config, not { connectionString }: node-postgres lets connectionString override
  // `database`, so the shadow pool would connect to the main database.
  const { schema, ...parsed } = parsePgUrl(url) as ReturnType<typeof parsePgUrl> & { schema?: string };
  if (schema && schema !== 'public') throw new Error(`?schema=${schema}: only the public schema is supported`);
  const cfg = { ...parsed, port: parsed.port ? Number(parsed.port) : undefined, Client: CharAsTextClient, max: 1 } as pg.PoolConfig;
  const base = new PrismaPg(cfg);
  const opened: SqlDriverAdapter[] = [];
  const open = async (c: pg.PoolConfig) => {
    const a = wholeScript((await new PrismaPg(c).connect()) as never);
    opened.push(a);
    return a;
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => open(cfg),
    // adapter-pg's own version drops the shadow database before closing its pool, which fails.
    async connectToShadowDb() {
      const admin = await new PrismaPg(cfg).connect();
      const database = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = wholeScript((await new PrismaPg({ ...cfg, database }).connect()) as never);
      const closeShadow = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await closeShadow();
        try {
          await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        } finally {
          await admin.dispose();
        }
      };
      return shadow;
    },
    async closeAll() {
      for (const a of opened.splice(0)) await a.dispose().catch(() => {});
    },
  };
}

/** Embedded PGlite. Shadow databases are in-memory PGlite instances. */
export function pgliteFactory(db: PGlite): EngineFactory {
  const base = new PrismaPGlite(db);
  // pglite-prisma-adapter 0.7.2 does not await exec(): a failing migration would pass as applied.
  const awaited = <A extends SqlDriverAdapter>(a: A) => {
    const client = (a as unknown as { client: PGlite }).client;
    a.executeScript = async (script: string) => {
      await client.exec(script);
    };
    return a;
  };
  const shadows: PGlite[] = [];
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => awaited(await base.connect()),
    async connectToShadowDb() {
      const a = awaited(await base.connectToShadowDb());
      shadows.push((a as unknown as { client: PGlite }).client);
      return a;
    },
    async closeAll() {
      for (const c of shadows.splice(0)) await c.close().catch(() => {});
    },
  };
}
