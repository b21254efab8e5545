// `vireo login`: logs in with a password once, makes an API token for this CLI and keeps it in a
// profile (so no password is stored and no session expires); `vireo logout` revokes it.
import os from 'node:os';
import readline from 'node:readline/promises';
import { createClient, LoginError } from '@vireo/sdk';
import { type activeProfile, readConfig, writeConfig } from './config.ts';
import { CliError, EXIT } from './exitCodes.ts';

async function readPassword(): Promise<string> {
  if (process.env.VIREO_PASSWORD) return process.env.VIREO_PASSWORD;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return await rl.question('Password: ');
  } finally {
    rl.close();
  }
}

export async function login(args: { url: string; user: string; profile: string; loginProfile?: string; token?: string }): Promise<number> {
  const client = createClient({ url: args.url, token: args.token });
  let token = args.token;
  let apiTokenId: string | undefined;
  if (!token) {
    try {
      await client.login(args.user, await readPassword(), args.loginProfile);
    } catch (e) {
      if (e instanceof LoginError)
        throw new CliError(e.code === 'DIRECTORY_UNAVAILABLE' ? EXIT.FAILED : EXIT.UNAUTHENTICATED, `${e.code}: ${e.message}`);
      throw e;
    }
    const made = await client.mutation.createApiToken({ input: { name: `vireo-cli ${os.hostname()} ${new Date().toISOString()}` } });
    if (made.__typename !== 'MutationCreateApiTokenSuccess') throw new CliError(EXIT.REFUSED, `${made.code}: ${made.message}`);
    token = made.created.token;
    apiTokenId = made.created.apiToken.id;
    await client.mutation.logout();
  }
  const me = await createClient({ url: args.url, token }).query.me();
  const config = readConfig();
  config.profiles[args.profile] = {
    url: args.url,
    token: token!,
    user: `${me.userName}@${me.domain}`,
    ...(apiTokenId ? { apiTokenId } : {}),
  };
  config.current = args.profile;
  writeConfig(config);
  process.stderr.write(`Logged in to ${args.url} as ${me.userName}@${me.domain} (profile ${args.profile}).\n`);
  return EXIT.OK;
}

export async function logout(profileName?: string): Promise<number> {
  const config = readConfig();
  const name = profileName ?? config.current ?? 'default';
  const profile = config.profiles[name] as (ReturnType<typeof activeProfile> & { apiTokenId?: string }) | undefined;
  if (!profile) throw new CliError(EXIT.USAGE, `No profile ${name}.`);
  if (profile.apiTokenId) {
    const client = createClient({ url: profile.url, token: profile.token });
    await client.mutation.revokeApiToken({ input: { id: profile.apiTokenId } }).catch(() => null);
  }
  delete config.profiles[name];
  if (config.current === name) delete config.current;
  writeConfig(config);
  process.stderr.write(`Logged out (profile ${name}).\n`);
  return EXIT.OK;
}
