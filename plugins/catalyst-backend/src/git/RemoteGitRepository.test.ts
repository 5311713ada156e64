import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createServer, request as httpRequest } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { startTestGitHttpServer, TestGitHttpServer } from '@internal/catalyst-test-utils';
import { RepoWriter } from '../environments/RepoWriter';
import { waitFor } from '../readside/__testUtils__/waitFor';
import { RemoteGitRepository } from './RemoteGitRepository';

const who = { name: 'Layla', email: 'layla@acme.example', timestamp: 1_700_000_000 };

describe('RemoteGitRepository (smart HTTP, git http-backend)', () => {
  let server: TestGitHttpServer;
  let cache: string;
  beforeEach(async () => {
    server = await startTestGitHttpServer();
    cache = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-mirror-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(server.root, 'acme/acme-dev.git')]);
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const open = (name = 'a', token = server.token) =>
    RemoteGitRepository.open({
      url: `${server.url}/acme/acme-dev.git`,
      token,
      mirrorDir: join(cache, `${name}.git`),
      maxStalenessMs: 0,
    });
  const hostGit = (...args: string[]) =>
    execFileSync('git', ['--git-dir', join(server.root, 'acme/acme-dev.git'), ...args], { encoding: 'utf8' }).trim();

  it('commits into an empty repo on the host and reads it back through another mirror', async () => {
    const a = await open('a');
    const { sha } = await a.commit({
      branch: 'main',
      message: 'Bootstrap',
      author: who,
      changes: { 'policies/environment-policy.yaml': 'kind: EnvironmentPolicy\n' },
    });
    expect(hostGit('rev-parse', 'main')).toBe(sha);
    const b = await open('b');
    expect(await b.readFile('main', 'policies/environment-policy.yaml')).toBe('kind: EnvironmentPolicy\n');
    // The token goes with the first request: no round trip to be told credentials are needed.
    expect(server.unauthorized()).toBe(0);
    execFileSync('git', ['--git-dir', join(server.root, 'acme/acme-dev.git'), 'fsck', '--strict']);
  });

  it('fails with head-moved when someone pushed first, and the writer recomputes and lands both', async () => {
    const a = await open('a');
    const b = await open('b');
    await a.commit({ branch: 'main', message: 'one', author: who, changes: { 'a.txt': '1' } });
    await b.sync(true);
    const head = (await b.resolve('main'))!;
    await a.commit({ branch: 'main', message: 'two', author: who, changes: { 'b.txt': '2' } });
    await expect(
      b.commit({ branch: 'main', message: 'three', author: who, changes: { 'c.txt': '3' }, expectedHead: head }),
    ).rejects.toMatchObject({
      code: 'head-moved',
    });
    // The writer's retry loop: another client pushes while the writer computes its first attempt, so
    // that attempt's push is refused (head-moved) and the writer computes again on the new head.
    const writer = new RepoWriter();
    const heads: string[] = [];
    const outcome = await writer.write(b, 'main', async h => {
      heads.push(h!);
      if (heads.length === 1) {
        await a.commit({ branch: 'main', message: 'four', author: who, changes: { 'd.txt': '4' } });
      }
      return { changes: { 'c.txt': '3' }, message: 'three', author: who, result: h };
    });
    expect(outcome.attempts).toBe(2);
    expect(heads[1]).not.toBe(heads[0]);
    // both survive: the other client's push and the writer's recomputed commit on top of it
    expect(hostGit('log', '--format=%s', 'main').split('\n')).toEqual(['three', 'four', 'two', 'one']);
    expect(hostGit('show', 'main:d.txt')).toBe('4');
  });

  it('loses no commit while readers fetch concurrently (a fetch never resets main between commit and push)', async () => {
    const a = await open('a');
    const writer = new RepoWriter();
    let writing = true;
    const readers = (async () => {
      // Every read fetches (maxStalenessMs 0) and would point the mirror's main at the host's.
      while (writing) await Promise.all([a.resolve('main'), a.listFiles('main').catch(() => [])]);
    })();
    const written: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const result = await writer.write(a, 'main', async () => ({
          changes: { [`f${i}.txt`]: String(i) },
          message: `c${i}`,
          author: who,
          result: i,
        }));
        written.push(result.commit!.sha);
      }
    } finally {
      writing = false;
      await readers;
    }
    const onHost = hostGit('log', '--format=%H', 'main').split('\n').reverse();
    expect(onHost).toEqual(written);
  }, 60_000);

  it('never shows readers a commit the host refused (the mirror moves only after the push)', async () => {
    const a = await RemoteGitRepository.open({
      url: `${server.url}/acme/acme-dev.git`,
      token: server.token,
      mirrorDir: join(cache, 'fresh.git'),
      maxStalenessMs: 60_000, // readers use the mirror as it is, without fetching
    });
    const { sha: accepted } = await a.commit({
      branch: 'main',
      message: 'one',
      author: who,
      changes: { 'a.txt': '1' },
    });
    const hook = join(server.root, 'acme/acme-dev.git/hooks/pre-receive');
    fs.writeFileSync(hook, '#!/bin/sh\nsleep 0.4\necho "refused by policy" >&2\nexit 1\n', { mode: 0o755 });

    const seen = new Set<string | undefined>();
    let pushing = true;
    const reader = (async () => {
      while (pushing) {
        seen.add(await a.resolve('main'));
        await new Promise(r => setTimeout(r, 10));
      }
    })();
    const refused = await a
      .commit({ branch: 'main', message: 'two', author: who, changes: { 'b.txt': '2' } })
      .catch(e => e);
    pushing = false;
    await reader;
    expect(refused).toMatchObject({ code: 'locked', message: expect.stringContaining('cannot push') });
    expect([...seen]).toEqual([accepted]);
    expect(await a.resolve('main')).toBe(accepted);
    expect(hostGit('rev-parse', 'main')).toBe(accepted);
  });

  it('mirrors the tags of a source repo whose default branch is not main', async () => {
    const work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-tags-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', work, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args]);
      git('init', '-q', '-b', 'master');
      fs.writeFileSync(join(work, 'README.md'), 'catalog\n');
      git('add', '.');
      git('commit', '-qm', 'release');
      git('tag', 'bp-echo/v1.0.0');
      git('push', '-q', join(server.root, 'acme/acme-dev.git'), 'master', 'bp-echo/v1.0.0');
      // a host whose default branch is master
      hostGit('symbolic-ref', 'HEAD', 'refs/heads/master');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    const a = await open('tags');
    expect(await a.listTags()).toEqual(['bp-echo/v1.0.0']);
    expect(await a.readFile('refs/tags/bp-echo/v1.0.0', 'README.md')).toBe('catalog\n');
    expect(await a.resolve('main')).toBeUndefined();
  });

  it('gives up on a host that never answers, naming the URL', async () => {
    // Accepts the connection and never answers.
    const sockets: Socket[] = [];
    const silent = createServer(() => undefined);
    silent.on('connection', socket => sockets.push(socket));
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/acme/acme-dev.git`;
    try {
      const error = await RemoteGitRepository.open({
        url,
        mirrorDir: join(cache, 'silent.git'),
        requestTimeoutMs: 300,
      }).catch(e => e);
      expect(error).toMatchObject({
        code: 'unreachable',
        message: `cannot fetch ${url}: no answer from the host within 300 ms`,
      });
    } finally {
      sockets.forEach(s => s.destroy());
      await new Promise(resolve => silent.close(resolve));
    }
  });

  it('gives up on a host that goes quiet in the middle of an answer, and closes the connection', async () => {
    // Answers the ref advertisement with its first pkt-line, then sends nothing more.
    const sockets: Socket[] = [];
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-advertisement' });
      res.write('001e# service=git-upload-pack\n');
    });
    const asked: Socket[] = [];
    stalling.on('connection', socket => {
      sockets.push(socket);
      socket.once('data', () => asked.push(socket));
    });
    await new Promise<void>(resolve => stalling.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/acme/acme-dev.git`;
    try {
      const error = await RemoteGitRepository.open({
        url,
        mirrorDir: join(cache, 'stalling.git'),
        requestTimeoutMs: 300,
      }).catch(e => e);
      expect(error).toMatchObject({
        code: 'unreachable',
        message: `cannot fetch ${url}: the host sent nothing for 300 ms in the middle of an answer`,
      });
      // The client hung up on the answer that stalled rather than leaving its socket open.
      expect(asked.length).toBeGreaterThan(0);
      await waitFor(
        'the stalled connection to close',
        async () => asked.every(s => s.destroyed || s.readableEnded),
        5000,
      );
    } finally {
      sockets.forEach(s => s.destroy());
      await new Promise(resolve => stalling.close(resolve));
    }
  });

  it('reports a commit written when the host took the push but its answer was lost', async () => {
    // A proxy in front of the host that forwards everything, but hangs up on the answer to a push
    // once the host has fully processed it.
    const upstream = new URL(server.url);
    let onTop = false;
    const proxy = createServer((req, res) => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        answer => {
          if (req.url?.endsWith('/git-receive-pack')) {
            answer.resume();
            answer.on('end', () => {
              // Another writer's commit lands on top before we can look.
              if (onTop) {
                const tree = hostGit('rev-parse', 'main^{tree}');
                const next = execFileSync(
                  'git',
                  [
                    '--git-dir',
                    join(server.root, 'acme/acme-dev.git'),
                    '-c',
                    'user.name=O',
                    '-c',
                    'user.email=o@example.com',
                    'commit-tree',
                    tree,
                    '-p',
                    'main',
                    '-m',
                    'on top',
                  ],
                  { encoding: 'utf8' },
                ).trim();
                hostGit('update-ref', 'refs/heads/main', next);
              }
              res.socket?.destroy();
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const path = new URL(`${server.url}/acme/acme-dev.git`).pathname;
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${path}`;
    try {
      const a = await RemoteGitRepository.open({
        url,
        token: server.token,
        mirrorDir: join(cache, 'lost.git'),
        maxStalenessMs: 0,
      });
      const result = await a.commit({ branch: 'main', message: 'answer lost', author: who, changes: { 'a.txt': '1' } });
      expect(result.changed).toBe(true);
      expect(hostGit('rev-parse', 'main')).toBe(result.sha);
      expect(await a.resolve('main')).toBe(result.sha);

      // Lost answer, and someone else's commit already on top of ours when we look: still written.
      onTop = true;
      const second = await a.commit({
        branch: 'main',
        message: 'answer lost again',
        author: who,
        changes: { 'b.txt': '2' },
      });
      expect(hostGit('log', '--format=%s', 'main').split('\n')).toEqual(['on top', 'answer lost again', 'answer lost']);
      expect(hostGit('rev-parse', 'main^')).toBe(second.sha);
      expect(await a.resolve('main')).toBe(hostGit('rev-parse', 'main'));
    } finally {
      proxy.closeAllConnections();
      await new Promise(resolve => proxy.close(resolve));
    }
  });

  it('names the URL when the token is wrong', async () => {
    await expect(open('c', 'wrong')).rejects.toThrow(`cannot fetch ${server.url}/acme/acme-dev.git`);
  });
});
