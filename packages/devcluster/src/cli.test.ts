import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDevClusterArgs, runDevClusterCli } from './cli';
import { getJson } from './__testUtils__/http';

describe('parseDevClusterArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseDevClusterArgs([
        '--git-root',
        '/data/git',
        '--host=127.0.0.1',
        '--port',
        '7008',
        '--pod-ready-delay-ms=1500',
        '--poll-ms',
        '500',
        '--crash-loop-restart-ms',
        '2000',
        '--history-limit',
        '100',
        '--strict-substitution',
        '--verbose',
      ]),
    ).toEqual({
      ok: true,
      help: false,
      verbose: true,
      options: {
        gitRoot: '/data/git',
        host: '127.0.0.1',
        port: 7008,
        podReadyDelayMs: 1500,
        pollMs: 500,
        crashLoopRestartMs: 2000,
        historyLimit: 100,
        strictSubstitution: true,
      },
    });
  });

  it.each([
    [[], /--git-root is required/],
    [['--git-root'], /--git-root needs a value/],
    [['--git-root', 'x', '--port', 'eighty'], /--port must be a non-negative integer, got 'eighty'/],
    [['--git-root', 'x', '--bogus'], /unknown argument '--bogus'/],
  ])('rejects %j with a usage message', (argv, message) => {
    const parsed = parseDevClusterArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
    expect(!parsed.ok && parsed.message).toMatch(/usage: devcluster --git-root <dir>/);
  });
});

describe('runDevClusterCli', () => {
  it('prints one ready line that calls itself a stand-in, serves, and stops', async () => {
    const root = mkdtempSync(join(tmpdir(), 'devcluster-cli-'));
    const out: string[] = [];
    const err: string[] = [];
    const cluster = await runDevClusterCli(['--git-root', root, '--port', '0'], {
      out: line => out.push(line),
      err: line => err.push(line),
    });
    try {
      expect(out).toEqual([`devcluster listening on ${cluster.url} (development stand-in, not a real cluster)`]);
      expect(cluster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await getJson(`${cluster.url}/clusters/acme-dev/version`)).body.gitVersion).toBe('v1.31.0-devcluster');
      expect(err).toEqual([]);
    } finally {
      await cluster.stop();
      rmSync(root, { recursive: true, force: true });
    }
    await expect(getJson(`${cluster.url}/clusters/acme-dev/version`)).rejects.toThrow();
  });

  it('rejects bad arguments without starting anything', async () => {
    await expect(runDevClusterCli(['--port', '1'], { out: () => {}, err: () => {} })).rejects.toThrow(
      /--git-root is required/,
    );
  });
});
