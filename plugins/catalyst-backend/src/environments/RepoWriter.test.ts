import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startTestGitHttpServer, TestGitHttpServer } from '@internal/catalyst-test-utils';
import { BareGitRepository } from '../git/BareGitRepository';
import { RemoteGitRepository } from '../git/RemoteGitRepository';
import { RepoWriter } from './RepoWriter';

const who = { name: 'Layla', email: 'layla@acme.example', timestamp: 1_700_000_000 };

/**
 * Two backend replicas writing into one Environment on a Git host: each has its own mirror and its
 * own RepoWriter (which serializes only its own writes), so the host's branch is where they meet.
 * A replica with a queue of writes starts its next one the moment its push lands, so the other's
 * retry races a fresh write every time: retries that back off ever longer fall behind for good.
 */
describe('RepoWriter, two replicas on one Git host branch', () => {
  let server: TestGitHttpServer;
  let cache: string;
  beforeEach(async () => {
    server = await startTestGitHttpServer();
    cache = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-repowriter-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(server.root, 'acme/acme-dev.git')]);
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('commits every write of two busy replicas exactly once', async () => {
    const replicas = await Promise.all(
      ['a', 'b'].map(async name => ({
        repo: await RemoteGitRepository.open({
          url: `${server.url}/acme/acme-dev.git`,
          token: server.token,
          mirrorDir: join(cache, `${name}.git`),
        }),
        writer: new RepoWriter(),
        name,
      })),
    );
    const perReplica = 25;
    const results = await Promise.allSettled(
      replicas.flatMap(({ repo, writer, name }) =>
        Array.from({ length: perReplica }, (_, i) =>
          writer.write(repo, 'main', async () => ({
            changes: { [`${name}-${i}.txt`]: `${name} ${i}` },
            message: `${name}-${i}`,
            author: who,
            result: `${name}-${i}`,
          })),
        ),
      ),
    );
    expect(results.filter(r => r.status === 'rejected')).toEqual([]);
    const subjects = execFileSync(
      'git',
      ['--git-dir', join(server.root, 'acme/acme-dev.git'), 'log', '--format=%s', 'main'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect([...subjects].sort()).toEqual(
      ['a', 'b'].flatMap(n => Array.from({ length: perReplica }, (_, i) => `${n}-${i}`)).sort(),
    );
  }, 120_000);
});

describe('RepoWriter, a branch that never stops moving', () => {
  it('gives up with a 503 that says nothing was written, after every attempt recomputed', async () => {
    const gitdir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-repowriter-busy-'));
    try {
      const repo = await BareGitRepository.init(gitdir);
      await repo.commit({ branch: 'main', changes: { 'README.md': 'start\n' }, message: 'start', author: who });
      let computed = 0;
      const writing = new RepoWriter().write(repo, 'main', async head => {
        computed++;
        // another writer lands between every computation and its commit
        await repo.commit({
          branch: 'main',
          changes: { 'other.txt': `${computed}\n` },
          message: `other ${computed}`,
          author: who,
          expectedHead: head,
        });
        return { changes: { 'mine.txt': 'mine\n' }, message: 'mine', author: who, result: undefined };
      });
      await expect(writing).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        code: 'unavailable',
        message: expect.stringContaining('nothing was written, try again'),
      });
      expect(computed).toBe(32);
      expect(await repo.readFile('main', 'mine.txt')).toBeUndefined();
    } finally {
      fs.rmSync(gitdir, { recursive: true, force: true });
    }
  });
});
