import path from 'node:path';
import { z } from 'zod';

const Env = z.object({
  // Unset or empty: the embedded database.
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL')
      .optional(),
  ),
  VIREO_DATA_DIR: z.string().default(path.resolve(import.meta.dirname, '../data')),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  VIREO_DEMO: z.enum(['0', '1']).default('1'),
  /** Password of admin@internal, used only when the database has no administrator yet. */
  VIREO_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Largest OVA and bare OVF file importVm accepts as an upload (bytes). */
  VIREO_MAX_OVA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 ** 3),
  /** Largest ISO image an upload to an ISO domain may be (bytes). */
  VIREO_MAX_ISO_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 ** 3),
  VIREO_MAX_OVF_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 ** 2),
  /** How long the warehouse keeps raw samples (hours), hourly rows (days) and daily rows (days); oVirt's DWH defaults. */
  VIREO_SAMPLES_RETENTION_HOURS: z.coerce.number().positive().default(24),
  VIREO_CHANGES_RETENTION_HOURS: z.coerce.number().positive().default(24),
  VIREO_HOURLY_RETENTION_DAYS: z.coerce.number().positive().default(61),
  VIREO_DAILY_RETENTION_DAYS: z.coerce
    .number()
    .positive()
    .default(5 * 365),
  /** Silence after which a host is NonResponsive (ms); unset: 3 report intervals + 4 s. */
  VIREO_HOST_TIMEOUT_MS: z.coerce.number().int().min(1000).optional(),
  /** How often the latest stats and history samples kept in memory are written (ms): what a kill -9 may lose of them. */
  VIREO_STATS_FLUSH_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Who may introspect the schema: logged-in users (default), also anonymous callers, or nobody. */
  VIREO_INTROSPECTION: z.enum(['users', 'all', 'off']).default('users'),
  /** Operations (subscriptions and queries in flight) at once on one WebSocket. */
  VIREO_WS_MAX_OPERATIONS: z.coerce.number().int().positive().default(100),
  /** WebSockets and operations at once of one user, over all its sockets. */
  VIREO_MAX_SOCKETS_PER_USER: z.coerce.number().int().positive().default(50),
  VIREO_MAX_OPERATIONS_PER_USER: z.coerce.number().int().positive().default(500),
  /** GraphQL WebSockets one client address may hold open before a valid token in connection_init (server/http/anonymousSockets.ts). */
  VIREO_MAX_ANONYMOUS_SOCKETS: z.coerce.number().int().positive().default(100),
  /** Largest GraphQL request: an HTTP body (not a multipart upload) or one WebSocket message. Room for a 10 MiB OVF given as text. */
  VIREO_MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 ** 2),
  /** SMTP server of alert e-mail (smtp://user:password@host:587, smtps://… for TLS at once) and its sender. */
  VIREO_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'VIREO_SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  VIREO_MAIL_FROM: z.string().default('vireo@localhost'),
  /** The key fence agents' passwords are sealed with (32 bytes, base64); default: `secret.key` in the data dir, made on the first start. */
  VIREO_SECRET_KEY: z
    .string()
    .refine((k) => Buffer.from(k, 'base64').length === 32, 'VIREO_SECRET_KEY must be 32 bytes in base64')
    .optional(),
  /** Folders searched for the fence-agent programs (fence_ipmilan…), colon-separated. */
  VIREO_FENCE_AGENTS_PATH: z.string().default('/usr/sbin:/sbin:/usr/bin:/bin'),
  /**
   * Directories under which local and POSIX storage domains may be added (comma-separated absolute
   * paths); unset: /srv, /mnt, /var/lib/vireo and <VIREO_DATA_DIR>/domains.
   */
  VIREO_STORAGE_ROOTS: z.string().optional(),
});

export type Config = z.infer<typeof Env>;

/** The engine's settings, read from the environment once at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Env.parse(env);
}
