import { DevClusterLogger } from './types';
import { DevClusterOptions, startDevCluster } from './startDevCluster';

/** Where the CLI writes: the entry script passes the process's console. */
export interface DevClusterCliIo {
  /** The single ready line. */
  out(line: string): void;
  /** Log lines (warnings, errors; everything with --verbose). */
  err(line: string): void;
}

const USAGE = `usage: devcluster --git-root <dir> [--host 127.0.0.1] [--port 7008]
                  [--pod-ready-delay-ms 1500] [--poll-ms 500] [--crash-loop-restart-ms 10000]
                  [--history-limit 2000] [--strict-substitution] [--verbose]
A development stand-in for Kubernetes with Flux (not a real cluster): serves
http://<host>:<port>/clusters/<org>-<env_type> for each <git-root>/<org>/<org>-<env_type>.git.`;

type NumberOption = 'port' | 'podReadyDelayMs' | 'pollMs' | 'crashLoopRestartMs' | 'historyLimit';
const NUMBER_FLAGS: Record<string, NumberOption> = {
  '--port': 'port',
  '--pod-ready-delay-ms': 'podReadyDelayMs',
  '--poll-ms': 'pollMs',
  '--crash-loop-restart-ms': 'crashLoopRestartMs',
  '--history-limit': 'historyLimit',
};

export type ParsedArgs =
  | { ok: true; options: DevClusterOptions; verbose: boolean; help: boolean }
  | { ok: false; message: string };

export function parseDevClusterArgs(argv: readonly string[]): ParsedArgs {
  const options: Partial<DevClusterOptions> = {};
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      if (flag === '--help' || flag === '-h') help = true;
      else if (flag === '--verbose') verbose = true;
      else if (flag === '--strict-substitution') options.strictSubstitution = true;
      else if (flag === '--git-root') options.gitRoot = value();
      else if (flag === '--host') options.host = value();
      else if (flag in NUMBER_FLAGS) {
        const text = value();
        if (!/^\d+$/.test(text))
          return { ok: false, message: `${flag} must be a non-negative integer, got '${text}'\n${USAGE}` };
        options[NUMBER_FLAGS[flag]] = Number(text);
      } else {
        return { ok: false, message: `unknown argument '${argv[i]}'\n${USAGE}` };
      }
    } catch (error) {
      return { ok: false, message: `${(error as Error).message}\n${USAGE}` };
    }
  }
  if (help) return { ok: true, options: options as DevClusterOptions, verbose, help };
  if (!options.gitRoot) return { ok: false, message: `--git-root is required\n${USAGE}` };
  return { ok: true, options: options as DevClusterOptions, verbose, help };
}

function lineLogger(io: DevClusterCliIo, verbose: boolean): DevClusterLogger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    io.err(JSON.stringify({ level, message, ...fields }));
  const quiet = () => {};
  return {
    debug: verbose ? write('debug') : quiet,
    info: verbose ? write('info') : quiet,
    warn: write('warn'),
    error: write('error'),
  };
}

/**
 * Runs the devcluster from command-line arguments and reports the one ready
 * line. Rejects with a usage message on bad arguments.
 */
export async function runDevClusterCli(
  argv: readonly string[],
  io: DevClusterCliIo,
): Promise<{ url: string; stop(): Promise<void> }> {
  const parsed = parseDevClusterArgs(argv);
  if (!parsed.ok) throw new Error(parsed.message);
  if (parsed.help) {
    io.out(USAGE);
    return { url: '', stop: async () => {} };
  }
  const cluster = await startDevCluster({ ...parsed.options, logger: lineLogger(io, parsed.verbose) });
  io.out(`devcluster listening on ${cluster.url} (development stand-in, not a real cluster)`);
  return cluster;
}
