// The engine's temporary area, `<data dir>/tmp`: uploads while their request runs (an OVA as
// received, then unpacked). Bytes only: image work on them is a host's (ovaImages.ts).
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';

/** The engine's data directory (VIREO_DATA_DIR), read at each call so tests can point it elsewhere. */
export function dataDir(): string {
  return path.resolve(loadConfig().VIREO_DATA_DIR);
}

/** A new temporary directory under the data dir. */
export async function tempDir(purpose: 'import'): Promise<string> {
  const dir = path.join(dataDir(), 'tmp', `${purpose}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
