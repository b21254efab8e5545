import fs from 'node:fs';
import { printSchema } from 'graphql';
import { expect, it } from 'vitest';
import { schema } from '../../schema/index.ts';
import { SDL_PATH } from '../../schema/print.ts';

it('the committed schema/schema.graphql is the schema the code builds (run `npm run schema:print`)', () => {
  expect(fs.readFileSync(SDL_PATH, 'utf8')).toBe(`${printSchema(schema)}\n`);
});
