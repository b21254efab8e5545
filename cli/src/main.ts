// `vireo`: the command line of the Vireo engine. Its commands come from the schema
// (commandTable.ts); only log-in, profiles and completion are written by hand.
import fs from 'node:fs';
import path from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { buildSchema, getNamedType, isEnumType, isListType, isNonNullType } from 'graphql';
import { createClient } from '@vireo/sdk';
import { commandTable, flagsOf, FLAG_ALIASES, idTarget, kebab, nodeTypes, type CommandSpec } from './commandTable.ts';
import { activeProfile, readConfig, writeConfig } from './config.ts';
import { runCommand } from './run.ts';
import { NameResolver } from './names.ts';
import { login, logout } from './login.ts';
import { CliError, EXIT } from './exitCodes.ts';

const schema = buildSchema(fs.readFileSync(path.resolve(import.meta.dirname, '../../schema/schema.graphql'), 'utf8'));
const specs = commandTable(schema);
const types = nodeTypes(schema);

const lcFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);
const firstLine = (s: string | null | undefined) => (s ?? '').split('\n')[0]!.trim();

/** The flag a command takes as its positional argument: the object it acts on. */
function positionalOf(spec: CommandSpec) {
  if (spec.shape === 'show') return { name: 'name', required: true };
  const flags = flagsOf(spec);
  const own = spec.type ? [lcFirst(spec.type), `${lcFirst(spec.type)}Id`] : [];
  const flag =
    flags.find((f) => f.name === 'id' && getNamedType(f.type).name === 'ID') ??
    flags.find(
      (f) => own.includes(f.name) && getNamedType(f.type).name === 'ID' && !isListType(isNonNullType(f.type) ? f.type.ofType : f.type),
    );
  return flag ? { name: flag.name, required: flag.required } : null;
}

function client() {
  const profile = activeProfile(argvProfile);
  if (!profile)
    throw new CliError(
      EXIT.UNAUTHENTICATED,
      'Not logged in: run `vireo login --url http://HOST:8080/graphql` (or set VIREO_URL and VIREO_TOKEN).',
    );
  return createClient({ url: profile.url, token: profile.token });
}
let argvProfile: string | undefined;

function defineCommand(y: Argv, spec: CommandSpec): Argv {
  const positional = positionalOf(spec);
  const placeholder =
    spec.shape === 'show'
      ? `${spec.noun}`
      : positional
        ? idTarget(positional.name, spec, types)
          ? kebab(idTarget(positional.name, spec, types)!)
          : kebab(positional.name)
        : '';
  const command = `${spec.verb}${positional ? (positional.required ? ` <${placeholder}>` : ` [${placeholder}]`) : ''}`;
  const description =
    spec.shape === 'show'
      ? `Show one ${spec.type} (by name or id).`
      : spec.shape === 'list'
        ? `${firstLine(spec.field.description) || `List ${spec.type} objects.`}`
        : firstLine(spec.field.description) || `${spec.field.name}`;
  return y.command(
    command,
    description,
    (c) => {
      if (positional) c.positional(placeholder, { type: 'string', describe: spec.type ? `name or id of the ${spec.type}` : undefined });
      const required: string[] = [];
      for (const flag of spec.shape === 'show' ? [] : flagsOf(spec)) {
        if (positional && flag.name === positional.name) continue;
        const named = getNamedType(flag.type);
        const list = isListType(isNonNullType(flag.type) ? flag.type.ofType : flag.type);
        const target = named.name === 'ID' ? idTarget(flag.name, spec, types) : null;
        const notes = [
          firstLine(flag.description),
          isEnumType(named)
            ? `one of: ${named
                .getValues()
                .map((v) => v.name.toLowerCase())
                .join(', ')}`
            : '',
          target ? `name or id of a ${target}` : '',
          named.name === 'File' ? 'a file path' : '',
          list ? 'repeat for several' : '',
        ]
          .filter(Boolean)
          .map((n) => n.replace(/\.$/, ''))
          .join('; ');
        const option = kebab(flag.name);
        c.option(option, {
          type: named.name === 'Boolean' && !list ? 'boolean' : 'string',
          array: list,
          describe: notes,
          alias: (FLAG_ALIASES[flag.name] ?? []).filter((a) => !flagsOf(spec).some((f) => kebab(f.name) === a)),
        });
        if (flag.required) {
          c.demandOption(option);
          required.push(`--${option} <${kebab(flag.name)}>`);
        }
      }
      if (spec.kind === 'mutation')
        c.option('wait', { type: 'boolean', describe: "Follow the action's job to its end with a progress bar; exit 1 when it fails." });
      c.example(
        `$0 ${spec.dryRun ? 'can ' : ''}${spec.noun ? `${spec.noun} ` : ''}${spec.verb}${positional ? ` <${placeholder}>` : ''} ${required.join(' ')}`.trim(),
        description,
      );
    },
    async (argv) => {
      argvProfile = argv.profile as string | undefined;
      const args = { ...argv } as Record<string, unknown>;
      if (positional && spec.shape !== 'show' && args[placeholder] !== undefined) args[positional.name] = args[placeholder];
      if (spec.shape === 'show') args.name = args[placeholder];
      process.exitCode = await runCommand(spec, args, { schema, specs, types, client: client(), json: !!argv.json, wait: !!argv.wait });
    },
  );
}

const nouns = [...new Set(specs.filter((s) => s.noun).map((s) => s.noun!))].sort();
const plural = (noun: string) => (noun.endsWith('s') ? `${noun}es` : `${noun}s`);

/** Object names for completion where the command typed so far takes one (empty otherwise). */
async function objectNames(current: string, argv: Record<string, unknown>): Promise<string[]> {
  const words = (argv._ as unknown[]).map(String).filter((w) => w !== 'vireo' && !w.startsWith('-'));
  if (words[0] === 'can') words.shift();
  const noun = nouns.find((n) => n === words[0] || plural(n) === words[0]);
  const spec = specs.find((s) => s.noun === noun && s.verb === words[1]);
  const positional = spec ? positionalOf(spec) : null;
  if (!spec || !positional || words.length !== 3) return [];
  try {
    argvProfile = argv.profile as string | undefined;
    const target = spec.shape === 'show' ? spec.type : idTarget(positional.name, spec, types);
    return target ? (await new NameResolver(schema, specs, client()).names(target, current)).map((n) => n.name) : [];
  } catch {
    return [];
  }
}

/** Completion: commands and flags (yargs' own), and the names of objects where a command takes one. */
function complete(
  current: string,
  argv: Record<string, unknown>,
  fallback: (cb: (err: Error | null, list: string[]) => void) => void,
  done: (list: string[]) => void,
) {
  fallback((_err, defaults) => {
    objectNames(current, argv).then(
      (names) => done([...defaults, ...names]),
      () => done(defaults),
    );
  });
}

const cli = yargs(hideBin(process.argv))
  .scriptName('vireo')
  .usage(
    '$0 <command> [options]\n\nThe Vireo engine from the command line. Commands come from the GraphQL schema; objects are named by name or id.',
  )
  .option('json', { type: 'boolean', describe: 'Print JSON for scripts instead of tables.' })
  .option('profile', { type: 'string', describe: 'Profile of the config file to use (default: the current one; also $VIREO_PROFILE).' })
  .command(
    'login',
    'Log in and keep an API token for this CLI in a profile.',
    (c) =>
      c
        .option('url', {
          type: 'string',
          demandOption: true,
          describe: "The engine's GraphQL endpoint, e.g. http://127.0.0.1:8080/graphql",
        })
        .option('user', { type: 'string', default: 'admin', describe: 'User name (password from $VIREO_PASSWORD or asked for)' })
        .option('login-profile', { type: 'string', describe: "Log-in profile: 'internal' (default) or a directory" })
        .option('token', { type: 'string', describe: 'Keep this API token instead of logging in with a password' })
        .example('$0 login --url http://127.0.0.1:8080/graphql --user admin', 'log in and make the default profile'),
    async (argv) => {
      process.exitCode = await login({
        url: argv.url,
        user: argv.user,
        profile: (argv.profile as string | undefined) ?? 'default',
        loginProfile: argv['login-profile'],
        token: argv.token,
      });
    },
  )
  .command('logout', "Revoke this profile's token and forget the profile.", {}, async (argv) => {
    process.exitCode = await logout(argv.profile as string | undefined);
  })
  .command(
    'profiles [use]',
    'List the profiles, or make one the current one.',
    (c) => c.positional('use', { type: 'string' }),
    (argv) => {
      const config = readConfig();
      if (argv.use) {
        if (!config.profiles[argv.use]) throw new CliError(EXIT.USAGE, `No profile ${argv.use}.`);
        config.current = argv.use;
        writeConfig(config);
      }
      for (const [name, p] of Object.entries(config.profiles))
        process.stdout.write(`${name === config.current ? '*' : ' '} ${name}  ${p.url}  ${p.user ?? ''}\n`);
    },
  );

for (const noun of nouns) {
  const own = specs.filter((s) => s.noun === noun && !s.dryRun).sort((a, b) => a.verb.localeCompare(b.verb));
  cli.command([noun, plural(noun)], `${own[0]?.type ?? noun}: ${own.map((s) => s.verb).join(', ')}`, (y) => {
    for (const spec of own) defineCommand(y, spec);
    return y.demandCommand(1, `Give a command of ${noun}.`);
  });
}
cli.command('can', 'Dry run of an action: allowed, or each reason it would be refused (exit 3).', (y) => {
  for (const noun of nouns) {
    const own = specs.filter((s) => s.noun === noun && s.dryRun);
    if (own.length)
      y.command(noun, `Dry runs of ${noun} actions`, (z) => {
        for (const spec of own) defineCommand(z, spec);
        return z.demandCommand(1);
      });
  }
  return y.demandCommand(1);
});
for (const spec of specs.filter((s) => !s.noun && !s.dryRun)) defineCommand(cli, spec);

cli
  .completion('completion', 'Print the completion script (bash; zsh when $SHELL is zsh): vireo completion >> ~/.bashrc', complete as never)
  .demandCommand(1, 'Give a command; see vireo --help.')
  .strict(!process.argv.includes('--get-yargs-completions')) // completion passes words the commands do not know
  .recommendCommands()
  .wrap(Math.min(120, process.stdout.columns || 100))
  .fail((message, error, y) => {
    if (error) throw error;
    process.stderr.write(`${y.help() && ''}${message}\nSee vireo --help.\n`);
    process.exit(EXIT.USAGE);
  });

try {
  await cli.parseAsync();
} catch (e) {
  if (e instanceof CliError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.FAILED;
  }
}
