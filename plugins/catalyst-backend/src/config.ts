import { Config } from '@backstage/config';
import { resolve } from 'node:path';

/** The `catalyst:` config block, read once at plugin init. */
export interface CatalystConfig {
  dataDir: string;
  gitRoot: string;
  sovereign: string;
  nats: {
    servers: string[];
    connectTimeoutMs: number;
    token?: string;
    user?: string;
    password?: string;
  };
  seed: { enabled: boolean };
  /** A Git host for Environment repos (production: Gitea); absent = bare repos under gitRoot. */
  gitRemote?: { baseUrl: string; token?: string; username?: string; catalogOwner?: string };
}

export function readCatalystConfig(config: Config): CatalystConfig {
  const c = config.getOptionalConfig('catalyst');
  const dataDir = resolve(c?.getOptionalString('dataDir') || '.catalyst');
  const nats = c?.getOptionalConfig('nats');
  return {
    dataDir,
    gitRoot: resolve(dataDir, 'git'),
    sovereign: c?.getOptionalString('sovereign.name') ?? 'local',
    nats: {
      servers: nats?.getOptionalStringArray('servers') ?? ['nats://127.0.0.1:4222'],
      connectTimeoutMs: (nats?.getOptionalNumber('connectTimeoutSeconds') ?? 5) * 1000,
      token: nats?.getOptionalString('token'),
      user: nats?.getOptionalString('user'),
      password: nats?.getOptionalString('password'),
    },
    seed: { enabled: c?.getOptionalBoolean('seed.enabled') ?? false },
    ...(c?.has('git.remote')
      ? {
          gitRemote: {
            baseUrl: c.getString('git.remote.baseUrl'),
            token: c.getOptionalString('git.remote.token'),
            username: c.getOptionalString('git.remote.username'),
            catalogOwner: c.getOptionalString('git.remote.catalogOwner'),
          },
        }
      : {}),
  };
}
