import { resolve } from 'node:path';
import { PortalError } from './PortalError';

/** Everything the launcher needs to know, resolved once from the environment. */
export interface PortalSettings {
  rootDir: string;
  dataDir: string;
  host: string;
  backendPort: number;
  natsPort: number;
  devclusterPort: number;
  /** The local identity provider (a development stand-in for Keycloak). */
  idpPort: number;
  /** Extra `--config` files for the backend, after app-config.yaml (CATALYST_CONFIG, comma separated). */
  extraConfigs: string[];
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new PortalError(`${name}="${raw}" is not a TCP port (1-65535)`);
  }
  return n;
}

export function readSettings(rootDir: string, env: NodeJS.ProcessEnv): PortalSettings {
  const dataDir = env.CATALYST_DATA_DIR ? resolve(rootDir, env.CATALYST_DATA_DIR) : resolve(rootDir, '.catalyst');
  const settings: PortalSettings = {
    rootDir,
    dataDir,
    // Loopback only: the embedded default is a single-user development portal.
    host: '127.0.0.1',
    backendPort: port(env, 'CATALYST_PORT', 7007),
    natsPort: port(env, 'CATALYST_NATS_PORT', 4222),
    devclusterPort: port(env, 'CATALYST_DEVCLUSTER_PORT', 7008),
    idpPort: port(env, 'CATALYST_IDP_PORT', 7009),
    extraConfigs: (env.CATALYST_CONFIG ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean)
      .map(p => resolve(rootDir, p)),
  };
  const ports = [settings.backendPort, settings.natsPort, settings.devclusterPort, settings.idpPort];
  if (new Set(ports).size !== ports.length) {
    throw new PortalError(
      `CATALYST_PORT, CATALYST_NATS_PORT, CATALYST_DEVCLUSTER_PORT and CATALYST_IDP_PORT must differ (got ${ports.join(
        ', ',
      )})`,
    );
  }
  return settings;
}
