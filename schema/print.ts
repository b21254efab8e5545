// Writes the printed SDL to schema/schema.graphql (committed; a test fails when it drifts).
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from './index.ts';

export const SDL_PATH = path.resolve(import.meta.dirname, 'schema.graphql');

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(SDL_PATH, `${printSchema(schema)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), SDL_PATH)}`);
}
