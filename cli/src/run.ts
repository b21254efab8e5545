// Runs one schema-derived command: builds its document and variables, calls the engine through
// the SDK, prints the result and sets the exit status.
import type { GraphQLSchema } from 'graphql';
import { defaultOperation, selectionOf, GraphQLRequestError, type VireoClient } from '@vireo/sdk';
import type { CommandSpec } from './commandTable.ts';
import { NameResolver } from './names.ts';
import { variablesOf } from './variables.ts';
import { details, json, line, table } from './output.ts';
import { followJob, jobIn } from './progress.ts';
import { CliError, EXIT, exitCodeOf } from './exitCodes.ts';

export interface RunContext {
  schema: GraphQLSchema;
  specs: CommandSpec[];
  types: string[];
  client: VireoClient;
  json: boolean;
  wait: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: results of documents built at run time from the schema have no static type
type Row = Record<string, any>;

function print(text: string) {
  process.stdout.write(`${text}\n`);
}

/** A typed error of a result union: its code, message and reasons on stderr, and the exit status. */
function typedError(value: Row): number {
  process.stderr.write(`${value.__typename} ${value.code}: ${value.message}\n`);
  for (const r of value.reasons ?? []) process.stderr.write(`  ${r.code}: ${r.message}\n`);
  for (const i of value.issues ?? []) process.stderr.write(`  ${i.path}: ${i.message}\n`);
  return exitCodeOf(value.__typename);
}

export async function runCommand(spec: CommandSpec, argv: Row, ctx: RunContext): Promise<number> {
  const names = new NameResolver(ctx.schema, ctx.specs, ctx.client);
  try {
    if (spec.shape === 'show') {
      const id = await names.resolve(spec.type, String(argv.name));
      const type = ctx.schema.getType(spec.type!)!;
      const data = await ctx.client.request<Row, Row>(
        `query Show($id: ID!) { node(id: $id) { __typename ... on ${type.name} ${selectionOf(ctx.schema, type)} } }`,
        { id },
      );
      if (!data.node) throw new CliError(EXIT.REFUSED, `${spec.type} ${argv.name} does not exist.`);
      print(ctx.json ? json(data.node) : details(data.node));
      return EXIT.OK;
    }
    const variables = await variablesOf(spec, argv, ctx.types, names);
    if (spec.shape === 'list' && spec.field.args.some((a) => a.name === 'first') && variables.first === undefined) variables.first = 100;
    const document = defaultOperation(ctx.schema, spec.kind, spec.field);
    if (spec.kind === 'subscription') {
      for await (const data of ctx.client.subscribe<Row, Row>(document, variables))
        print(ctx.json ? JSON.stringify(data[spec.field.name]) : line(data[spec.field.name]));
      return EXIT.OK;
    }
    const value = (await ctx.client.request<Row, Row>(document, variables))[spec.field.name];
    if (spec.dryRun) {
      if (ctx.json) print(json(value));
      else if (value.allowed) print('allowed');
      else for (const r of value.reasons) print(`${r.code}: ${r.message}`);
      return value.allowed ? EXIT.OK : EXIT.REFUSED;
    }
    if (value && typeof value === 'object' && typeof value.code === 'string' && /Error$/.test(value.__typename ?? '')) {
      if (ctx.json) print(json(value));
      return typedError(value);
    }
    if (spec.shape === 'list') {
      const rows = Array.isArray(value) ? value : value.edges.map((e: Row) => e.node);
      print(ctx.json ? json(rows) : table(rows));
      if (!ctx.json && !Array.isArray(value) && value.totalCount > rows.length)
        print(`${rows.length} of ${value.totalCount} (--first, --after ${value.pageInfo.endCursor})`);
      return EXIT.OK;
    }
    const job = spec.kind === 'mutation' ? jobIn(value) : null;
    if (ctx.json && !(ctx.wait && job)) {
      print(json(value));
      return EXIT.OK;
    }
    if (!ctx.json) summary(spec, value);
    if (ctx.wait && job) {
      const end = await followJob(ctx.client, job.id, ctx.json);
      if (ctx.json) print(json({ ...value, job: end }));
      else print(`job ${end.description}: ${end.status}`);
      return end.status === 'FINISHED' ? EXIT.OK : EXIT.FAILED;
    }
    return EXIT.OK;
  } catch (e) {
    if (e instanceof GraphQLRequestError) {
      process.stderr.write(`${e.code ?? 'ERROR'}: ${e.message}\n`);
      return e.code === 'UNAUTHENTICATED'
        ? EXIT.UNAUTHENTICATED
        : e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND' || e.code === 'BAD_INPUT'
          ? EXIT.REFUSED
          : EXIT.FAILED;
    }
    throw e;
  } finally {
    await ctx.client.close();
  }
}

/** What a successful mutation or a plain query gave, for people. */
function summary(spec: CommandSpec, value: unknown) {
  if (value === null || typeof value !== 'object') {
    print(String(value));
    return;
  }
  if (Array.isArray(value)) {
    print(table(value as Row[]));
    return;
  }
  const payload = value as Row;
  if (spec.kind !== 'mutation') {
    print(details(payload));
    return;
  }
  // A mutation's success type holds one field (vm, result, removed…): show what is inside it.
  const inner = Object.entries(payload).filter(([k]) => k !== '__typename');
  print(`${[spec.noun, spec.verb].filter(Boolean).join(' ')}: done`);
  for (const [key, v] of inner) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      print(`${key}: ${JSON.stringify(v)}`);
      continue;
    }
    const o = v as Row;
    // A wrapper without an id (e.g. a VM action's result: vm and job) shows each object it holds.
    const parts =
      'id' in o
        ? [[key, o] as const]
        : Object.entries(o)
            .filter(([k]) => k !== '__typename')
            .map(([k, x]) => [k, x] as const);
    for (const [k, x] of parts) print(`${k}: ${x && typeof x === 'object' ? line(x) : JSON.stringify(x)}`);
  }
}
