import { IdpLogger } from './logger';
import { IdentityProviderOptions, startIdentityProvider } from './startIdentityProvider';
import { hashPassword } from './users/passwords';

/** Where the CLI writes: the entry script passes the process's console. */
export interface IdpCliIo {
  /** The ready line, or a printed hash. */
  out(line: string): void;
  /** Log lines (warnings, errors; sign-ins with --verbose). */
  err(line: string): void;
}

const USAGE = `usage: catalyst-idp --data-dir <dir> [--host 127.0.0.1] [--port 7009]
                    [--portal-url http://localhost:7007] [--client-secret catalyst-dev-secret]
                    [--access-token-ttl-seconds 900] [--verbose]
       catalyst-idp hash-password <password>
A development stand-in for Keycloak (not a real identity provider): OpenID Connect realms
http://localhost:<port>/realms/{catalyst,<organization>} for the users in <dir>/idp/users.json.`;

type NumberOption = 'port' | 'accessTokenTtlSeconds';
const NUMBER_FLAGS: Record<string, NumberOption> = {
  '--port': 'port',
  '--access-token-ttl-seconds': 'accessTokenTtlSeconds',
};
type StringOption = 'dataDir' | 'host' | 'portalUrl' | 'clientSecret';
const STRING_FLAGS: Record<string, StringOption> = {
  '--data-dir': 'dataDir',
  '--host': 'host',
  '--portal-url': 'portalUrl',
  '--client-secret': 'clientSecret',
};

export type ParsedIdpArgs =
  | { ok: true; command: 'serve'; options: IdentityProviderOptions; verbose: boolean }
  | { ok: true; command: 'hash-password'; password: string }
  | { ok: true; command: 'help' }
  | { ok: false; message: string };

export function parseIdpArgs(argv: readonly string[]): ParsedIdpArgs {
  if (argv[0] === 'hash-password') {
    if (argv.length !== 2 || argv[1] === '')
      return { ok: false, message: `hash-password needs one password\n${USAGE}` };
    return { ok: true, command: 'hash-password', password: argv[1] };
  }
  const options: Partial<IdentityProviderOptions> = {};
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') return { ok: true, command: 'help' };
    if (flag === '--verbose') {
      verbose = true;
      continue;
    }
    if (!(flag in NUMBER_FLAGS) && !(flag in STRING_FLAGS)) {
      return { ok: false, message: `unknown argument '${argv[i]}'\n${USAGE}` };
    }
    const text = value();
    if (text === undefined) return { ok: false, message: `${flag} needs a value\n${USAGE}` };
    if (flag in NUMBER_FLAGS) {
      if (!/^\d+$/.test(text))
        return { ok: false, message: `${flag} must be a non-negative integer, got '${text}'\n${USAGE}` };
      options[NUMBER_FLAGS[flag]] = Number(text);
    } else {
      options[STRING_FLAGS[flag]] = text;
    }
  }
  if (!options.dataDir) return { ok: false, message: `--data-dir is required\n${USAGE}` };
  if (options.portalUrl !== undefined && !/^https?:\/\/[^/]+/.test(options.portalUrl)) {
    return { ok: false, message: `--portal-url must be an http(s) URL, got '${options.portalUrl}'\n${USAGE}` };
  }
  return { ok: true, command: 'serve', options: options as IdentityProviderOptions, verbose };
}

function lineLogger(io: IdpCliIo, verbose: boolean): IdpLogger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    io.err(JSON.stringify({ level, message, ...fields }));
  return { info: verbose ? write('info') : () => {}, warn: write('warn'), error: write('error') };
}

/**
 * Runs `catalyst-idp` from command-line arguments. For `serve` (the default) it resolves once
 * listening, after the one ready line; `hash-password` prints a hash for users.json. Rejects with
 * a usage message on bad arguments.
 */
export async function runIdentityProviderCli(
  argv: readonly string[],
  io: IdpCliIo,
): Promise<{ url: string; stop(): Promise<void> }> {
  const parsed = parseIdpArgs(argv);
  if (!parsed.ok) throw new Error(parsed.message);
  const done = { url: '', stop: async () => {} };
  if (parsed.command === 'help') {
    io.out(USAGE);
    return done;
  }
  if (parsed.command === 'hash-password') {
    io.out(await hashPassword(parsed.password));
    return done;
  }
  const idp = await startIdentityProvider({ ...parsed.options, logger: lineLogger(io, parsed.verbose) });
  io.out(
    `catalyst-idp listening on ${idp.host}:${idp.port} (development stand-in for Keycloak, not a real identity provider); ` +
      `issuers ${idp.url}/realms/{${idp.realms.join(',')}}; users ${idp.usersFile}`,
  );
  return idp;
}
