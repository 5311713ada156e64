import type { Config } from '@backstage/config';
import { CATALYST_ROLES, CatalystClusterConfig, RoleBinding } from '@internal/plugin-catalyst-common';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The `catalyst:` config block (config.d.ts in catalyst-backend), read once by each plugin or
 * module that needs it — the catalyst backend, the permission policy, the catalog and kubernetes
 * modules — through this one reader, so none of them reads a key differently. A malformed entry
 * stops the start with the config path rather than silently meaning something else.
 *
 * @public
 */
export interface CatalystSettings {
  dataDir: string;
  /** `<dataDir>/git`: the embedded default's bare repos. */
  gitRoot: string;
  sovereign: string;
  nats: {
    servers: string[];
    connectTimeoutMs: number;
    token?: string;
    user?: string;
    password?: string;
    /** Copies of every stream and KV bucket (`catalyst.nats.replicas`): 1 on one server, 3 on a cluster. */
    replicas: number;
  };
  seed: { enabled: boolean };
  /** A Git host for Environment repos (production: Gitea); absent = bare repos under gitRoot. */
  gitRemote?: { baseUrl: string; token?: string; username?: string; catalogOwner?: string };
  /** Who holds which Catalyst role where (`catalyst.access.bindings`). */
  bindings: RoleBinding[];
  /** The clusters the Environments run on (`catalyst.clusters`). */
  clusters: CatalystClusterConfig[];
}

const bindingSchema = z.strictObject({
  // `service:<subject>`: a service token from backend.auth.externalAccess, for integrations
  subject: z
    .string()
    .regex(
      /^((user|group):[^/\s]+\/[^/\s]+|service:[\w.:-]+)$/,
      'must be an entity ref like group:acme/team-platform, or service:<subject> for a service token',
    ),
  role: z.enum(CATALYST_ROLES),
  organization: z.string().min(1),
  environments: z.array(z.string().min(1)).min(1).optional(),
});

/** `catalyst.access.bindings`: who (a User or Group ref) holds which Catalyst role where. @public */
export function readRoleBindings(config: Config): RoleBinding[] {
  const raw = config.getOptional<unknown[]>('catalyst.access.bindings') ?? [];
  if (!Array.isArray(raw)) throw new Error('catalyst.access.bindings must be a list');
  return raw.map((entry, i) => {
    const parsed = bindingSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `catalyst.access.bindings[${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
      );
    }
    if (parsed.data.role === 'sovereign-admin' && parsed.data.organization !== '*') {
      throw new Error(
        `catalyst.access.bindings[${i}].organization: sovereign-admin is held across all Organizations; use '*'`,
      );
    }
    return parsed.data;
  });
}

/** `catalyst.clusters`; URLs without a trailing slash, `environments` default `['*']`. @public */
export function readClusterConfig(config: Config): CatalystClusterConfig[] {
  return (config.getOptionalConfigArray('catalyst.clusters') ?? []).map((c, i) => {
    const type = c.getString('type');
    if (type !== 'devcluster' && type !== 'kubernetes') {
      throw new Error(`catalyst.clusters[${i}].type: "${type}" is neither devcluster nor kubernetes`);
    }
    const auth = c.getOptionalConfig('auth');
    return {
      name: c.getString('name'),
      type,
      url: c.getString('url').replace(/\/+$/, ''),
      environments: c.getOptionalStringArray('environments') ?? ['*'],
      ...(auth
        ? {
            auth: {
              serviceAccountToken: auth.getOptionalString('serviceAccountToken'),
              caData: auth.getOptionalString('caData'),
              skipTLSVerify: auth.getOptionalBoolean('skipTLSVerify'),
            },
          }
        : {}),
    };
  });
}

/**
 * JetStream accepts 1 to 5 copies, and at most as many as the cluster has nodes; a count it cannot
 * place fails the first stream or bucket, so an impossible value stops the start here instead.
 */
function readNatsReplicas(value: number | undefined): number {
  if (value === undefined) return 1;
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    throw new Error(`catalyst.nats.replicas: must be an integer from 1 to 5 (got ${value})`);
  }
  return value;
}

/** @public */
export function readCatalystSettings(config: Config): CatalystSettings {
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
      replicas: readNatsReplicas(nats?.getOptionalNumber('replicas')),
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
    bindings: readRoleBindings(config),
    clusters: readClusterConfig(config),
  };
}
