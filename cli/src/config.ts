// Profiles: where an engine is and the token to use, in ~/.config/vireo/config.json
// (or $VIREO_CONFIG), written with mode 0600.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Profile {
  url: string;
  token: string;
  user?: string;
  apiTokenId?: string;
}
export interface Config {
  current?: string;
  profiles: Record<string, Profile>;
}

export const configPath = () =>
  process.env.VIREO_CONFIG ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'vireo', 'config.json');

export function readConfig(): Config {
  try {
    return JSON.parse(fs.readFileSync(configPath(), 'utf8')) as Config;
  } catch {
    return { profiles: {} };
  }
}

export function writeConfig(config: Config): void {
  fs.mkdirSync(path.dirname(configPath()), { recursive: true });
  fs.writeFileSync(configPath(), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** The profile to use: --profile, else $VIREO_PROFILE, else the current one; $VIREO_URL/$VIREO_TOKEN override. */
export function activeProfile(name?: string): Profile | null {
  const config = readConfig();
  const chosen = config.profiles[name ?? (process.env.VIREO_PROFILE || config.current || 'default')];
  const url = process.env.VIREO_URL || chosen?.url;
  const token = process.env.VIREO_TOKEN || chosen?.token;
  return url && token ? { url, token, user: chosen?.user } : null;
}
