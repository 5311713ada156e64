import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BareGitRepository } from './BareGitRepository';
import { GitError } from './errors';

const alice = { name: 'Alice', email: 'alice@acme.example', timestamp: 1_700_000_000 };

describe('BareGitRepository', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-git-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const git = (gitdir: string, ...args: string[]) =>
    execFileSync('git', ['--git-dir', gitdir, ...args], { encoding: 'utf8' }).trim();

  it('commits nested files into a new bare repo that the git CLI reads and fscks clean', async () => {
    const repo = await BareGitRepository.init(join(root, 'acme/acme-dev.git'));
    const result = await repo.commit({
      branch: 'main',
      message: 'Install blog',
      author: alice,
      committer: { name: 'Catalyst', email: 'catalyst@localhost', timestamp: 1_700_000_001 },
      changes: {
        'applications/blog/values.yaml': 'replicas: 2\n',
        'applications/blog/blueprint/base/deployment.yaml': 'kind: Deployment\n',
        'flux-system/applications/blog.yaml': 'kind: Kustomization\n',
      },
      expectedHead: null,
    });
    expect(result.changed).toBe(true);
    expect(result.parent).toBeNull();
    const gitdir = repo.gitdir;
    expect(git(gitdir, 'rev-parse', 'main')).toBe(result.sha);
    expect(git(gitdir, 'show', 'main:applications/blog/values.yaml')).toBe('replicas: 2');
    expect(git(gitdir, 'log', '-1', '--format=%an <%ae>|%cn|%s', 'main')).toBe(
      'Alice <alice@acme.example>|Catalyst|Install blog',
    );
    execFileSync('git', ['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
    expect(await repo.readFile('main', 'applications/blog/values.yaml')).toBe('replicas: 2\n');
    expect([...(await repo.listFiles('main', 'applications')).keys()].sort()).toEqual([
      'applications/blog/blueprint/base/deployment.yaml',
      'applications/blog/values.yaml',
    ]);
  });

  it('deletes a whole directory with a trailing-slash null and keeps siblings', async () => {
    const repo = await BareGitRepository.init(join(root, 'r.git'));
    await repo.commit({
      branch: 'main',
      message: 'two apps',
      author: alice,
      changes: { 'applications/a/x.yaml': 'a', 'applications/b/y.yaml': 'b', 'README.md': 'r' },
    });
    await repo.commit({
      branch: 'main',
      message: 'remove a',
      author: alice,
      changes: { 'applications/a/': null },
    });
    expect([...(await repo.listFiles('main')).keys()].sort()).toEqual(['README.md', 'applications/b/y.yaml']);
    execFileSync('git', ['--git-dir', repo.gitdir, 'fsck', '--strict', '--no-dangling']);
  });

  it('makes no commit when the changes leave the tree unchanged', async () => {
    const repo = await BareGitRepository.init(join(root, 'r.git'));
    const first = await repo.commit({ branch: 'main', message: 'm', author: alice, changes: { 'a.txt': '1' } });
    const again = await repo.commit({ branch: 'main', message: 'm2', author: alice, changes: { 'a.txt': '1' } });
    expect(again).toEqual({ sha: first.sha, parent: first.sha, changed: false });
    expect(await repo.log('main')).toHaveLength(1);
  });

  it('refuses a commit against a stale head with head-moved and writes nothing', async () => {
    const repo = await BareGitRepository.init(join(root, 'r.git'));
    const first = await repo.commit({ branch: 'main', message: '1', author: alice, changes: { 'a.txt': '1' } });
    await repo.commit({ branch: 'main', message: '2', author: alice, changes: { 'a.txt': '2' } });
    await expect(
      repo.commit({ branch: 'main', message: '3', author: alice, changes: { 'a.txt': '3' }, expectedHead: first.sha }),
    ).rejects.toMatchObject({ code: 'head-moved' });
    expect(await repo.readFile('main', 'a.txt')).toBe('2');
  });

  it('serialises with the git CLI through the ref lock file', async () => {
    const repo = await BareGitRepository.init(join(root, 'r.git'));
    const first = await repo.commit({ branch: 'main', message: '1', author: alice, changes: { 'a.txt': '1' } });
    fs.writeFileSync(join(repo.gitdir, 'refs/heads/main.lock'), `${first.sha}\n`);
    await expect(
      repo.commit({ branch: 'main', message: '2', author: alice, changes: { 'a.txt': '2' } }),
    ).rejects.toMatchObject({ code: 'locked' });
    fs.rmSync(join(repo.gitdir, 'refs/heads/main.lock'));
    await repo.commit({ branch: 'main', message: '2', author: alice, changes: { 'a.txt': '2' } });
    expect(await repo.readFile('main', 'a.txt')).toBe('2');
  });

  it.each([
    ['../escape.txt'],
    ['/abs.txt'],
    ['a//b.txt'],
    ['a/./b.txt'],
    ['.git/config'],
    ['a/.GIT/x'],
    ['a\\b'],
    ['nul\0byte'],
  ])('rejects the unsafe path %j with bad-path', async path => {
    const repo = await BareGitRepository.init(join(root, 'r.git'));
    const attempt = repo.commit({ branch: 'main', message: 'x', author: alice, changes: { [path]: 'x' } });
    await expect(attempt).rejects.toBeInstanceOf(GitError);
    await expect(attempt).rejects.toMatchObject({ code: 'bad-path' });
    expect(await repo.resolve('main')).toBeUndefined();
  });

  it('tags releases, resolves tags to commits and lists per-path history', async () => {
    const repo = await BareGitRepository.init(join(root, 'catalog.git'));
    const v1 = await repo.commit({
      branch: 'main',
      message: 'bp-a 1.0.0',
      author: alice,
      changes: { 'bp-a/blueprint.yaml': 'v: 1' },
    });
    await repo.tag('bp-a/v1.0.0', v1.sha);
    await repo.commit({
      branch: 'main',
      message: 'bp-b 1.0.0',
      author: alice,
      changes: { 'bp-b/blueprint.yaml': 'v: 1' },
    });
    const v2 = await repo.commit({
      branch: 'main',
      message: 'bp-a 1.1.0',
      author: alice,
      changes: { 'bp-a/blueprint.yaml': 'v: 2' },
    });
    await repo.tag('bp-a/v1.1.0', v2.sha);
    expect((await repo.listTags()).sort()).toEqual(['bp-a/v1.0.0', 'bp-a/v1.1.0']);
    expect(await repo.resolve('bp-a/v1.0.0')).toBe(v1.sha);
    expect(await repo.readFile('bp-a/v1.0.0', 'bp-a/blueprint.yaml')).toBe('v: 1');
    expect((await repo.log('main', { path: 'bp-a' })).map(e => e.message.trim())).toEqual(['bp-a 1.1.0', 'bp-a 1.0.0']);
    await expect(repo.tag('bp-a/v1.0.0', v2.sha)).rejects.toThrow();
  });

  it('refuses to open something that is not a repository', async () => {
    await expect(BareGitRepository.open(root)).rejects.toMatchObject({ code: 'not-a-repository' });
  });
});
