// Cold start of `npm start` on the embedded database: a first run on an empty data folder
// (initdb, migrations, demo seed) and a second run on the same folder.
//   npx tsx bench/coldStart.ts
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEngineProcess } from '../test/support/engineProcess.ts';

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-coldstart-'));
const rows: [string, number, number][] = [];
for (const run of ['first run (empty folder)', 'second run']) {
  const t0 = performance.now();
  const engine = await startEngineProcess({ VIREO_DATA_DIR: dataDir, DATABASE_URL: '' });
  rows.push([run, Math.round(performance.now() - t0), engine.readyMs]);
  await engine.kill('SIGTERM');
}
await fs.rm(dataDir, { recursive: true, force: true });
console.log('run                        | spawn→ready (ms) | engine start→ready (ms)');
for (const [run, wall, ready] of rows) console.log(`${run.padEnd(26)} | ${String(wall).padStart(16)} | ${String(ready).padStart(23)}`);
