// PostgreSQL when a URL is given, otherwise an embedded PostgreSQL (PGlite) in a data folder.
// Either way the one migrations folder is applied before the client is handed out.
import fs from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient, type Prisma } from '../generated/prisma/client.ts';
import { migrateDeploy } from '../prisma/tool/engine.ts';
import { pgFactory, pgliteFactory } from '../prisma/tool/adapters.ts';

export type Db = PrismaClient;
/** The client an interactive transaction gives its callback: what actions, monitoring and the scheduler write through. */
export type Tx = Prisma.TransactionClient;

export interface DatabaseOptions {
  /** postgresql:// URL; without it, PGlite in `dataDir`. */
  url?: string;
  /** Folder of the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  /** A PGlite instance to use as it is (tests load one from a migrated snapshot). */
  pglite?: PGlite;
  migrate?: boolean;
}

export interface Database {
  db: Db;
  kind: 'postgresql' | 'embedded';
  /** The PostgreSQL server's URL (none on the embedded database). */
  url?: string;
  /** Every SQL statement the client sends is passed here (used to count queries). */
  onQuery(listener: (sql: string) => void): () => void;
  close(): Promise<void>;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const listeners = new Set<(sql: string) => void>();
  const logged = (adapter: PrismaPg | PrismaPGlite) => new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });

  if (opts.url) {
    if (opts.migrate !== false) await migrateDeploy(pgFactory(opts.url));
    const db = logged(new PrismaPg({ connectionString: opts.url }));
    db.$on('query', (e) => {
      for (const l of listeners) l(e.query);
    });
    return { db, kind: 'postgresql', url: opts.url, onQuery: subscribe(listeners), close: () => db.$disconnect() };
  }

  let pglite = opts.pglite;
  if (!pglite) {
    const dir = opts.dataDir ?? 'memory://';
    if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(dir), { recursive: true });
    pglite = new PGlite(dir);
  }
  if (opts.migrate !== false) await migrateDeploy(pgliteFactory(pglite));
  const db = logged(new PrismaPGlite(pglite));
  db.$on('query', (e) => {
    for (const l of listeners) l(e.query);
  });
  const owned = pglite;
  return {
    db,
    kind: 'embedded',
    onQuery: subscribe(listeners),
    async close() {
      await db.$disconnect();
      if (!opts.pglite) await owned.close();
    },
  };
}

function subscribe(listeners: Set<(sql: string) => void>) {
  return (listener: (sql: string) => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };
}
