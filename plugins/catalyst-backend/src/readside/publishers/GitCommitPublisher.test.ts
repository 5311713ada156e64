import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { jetstream, jetstreamManager, JetStreamClient } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { valuesDigest } from '@internal/plugin-catalyst-common';
import { startTestGitHttpServer } from '@internal/catalyst-test-utils';
import { EnvironmentRepositories } from '../../environments/EnvironmentRepositories';
import { BareGitRepository } from '../../git/BareGitRepository';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { connectTestNats } from '../__testUtils__/events';
import { applicationFiles, createEnvironmentRepo, gotkSync, identity } from '../__testUtils__/environmentRepo';
import { readEnvironmentLog } from '../projector/readEnvironmentLog';
import { JetStreamStreams } from '../streams/JetStreamStreams';
import { GitCommitPublisher, openGitHeadsBucket } from './GitCommitPublisher';
import { JetStreamEventPublisher } from './JetStreamEventPublisher';
import { waitFor } from '../__testUtils__/waitFor';

jest.setTimeout(30_000);

interface CommitData {
  sha: string;
  author: { name: string; email?: string; user?: string };
  message: string;
  applications: Array<{
    name: string;
    change: string;
    blueprint?: string;
    version?: string;
    source?: string;
    overlay?: string;
    valuesDigest?: string;
    paused?: boolean;
  }>;
  touchesPolicies?: boolean;
}

describe('GitCommitPublisher', () => {
  const environment = { name: 'acme-dev', organization: 'acme', envType: 'dev' };
  let server: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let heads: KV;
  let gitRoot: string;
  let repo: BareGitRepository;
  let publisher: JetStreamEventPublisher;
  const logger = mockServices.logger.mock();

  const watcher = () =>
    GitCommitPublisher.create({
      environment,
      openRepository: async () => repo,
      publisher,
      heads,
      logger,
    });

  const commits = async () => {
    const out: CommitData[] = [];
    await readEnvironmentLog({
      js,
      organization: 'acme',
      environment: 'acme-dev',
      onMessage: (_seq, data) => out.push(JSON.parse(new TextDecoder().decode(data)).data),
    });
    return out;
  };

  beforeEach(async () => {
    server = await startTestNatsServer();
    nc = await connectTestNats(server.url);
    js = jetstream(nc);
    const streams = JetStreamStreams.create({ jsm: await jetstreamManager(nc), logger });
    await streams.ensure('acme');
    publisher = JetStreamEventPublisher.create({ js, logger, ensureStream: org => streams.ensure(org) });
    heads = await openGitHeadsBucket(new Kvm(js));
    gitRoot = fs.mkdtempSync(join(os.tmpdir(), 'readside-git-'));
    repo = await createEnvironmentRepo(gitRoot, 'acme-dev');
  });

  afterEach(async () => {
    await nc.close();
    await server.dispose();
    fs.rmSync(gitRoot, { recursive: true, force: true });
  });

  it('publishes each new commit oldest first with the Application folders it changed and their pins', async () => {
    const first = await repo.commit({
      branch: 'main',
      changes: {
        ...gotkSync('acme-dev'),
        ...applicationFiles('web', 'acme-dev', { values: { replicas: 2 }, overlay: 'medium' }),
        ...applicationFiles('api', 'acme-dev', { source: 'shared-blueprints' }),
      },
      message: 'Install web\n\nCatalyst-Action: install\nCatalyst-Actor: user:default/ada',
      author: identity(),
    });
    expect(await watcher().poll()).toBe(1);

    const second = await repo.commit({
      branch: 'main',
      changes: applicationFiles('web', 'acme-dev', { version: '1.1.0', values: { replicas: 3 } }),
      message: 'Upgrade web',
      author: identity('Grace Pusher', 1_735_700_000),
    });
    const third = await repo.commit({
      branch: 'main',
      changes: { 'applications/api/': null, 'flux-system/applications/api.yaml': null },
      message: 'Uninstall api',
      author: identity(),
    });
    const fourth = await repo.commit({
      branch: 'main',
      changes: { 'policies/environment-policy.yaml': 'kind: EnvironmentPolicy\nspec: { rules: [] }\n# tightened\n' },
      message: 'Policy',
      author: identity(),
    });
    expect(await watcher().poll()).toBe(3);

    const published = await commits();
    expect(published.map(c => c.sha)).toEqual([first.sha, second.sha, third.sha, fourth.sha]);
    expect(published[0]).toMatchObject({
      author: { name: 'Ada Tester', email: 'ada@example.invalid', user: 'user:default/ada' },
      touchesPolicies: true,
      applications: [
        {
          name: 'api',
          change: 'added',
          blueprint: 'bp-web',
          version: '1.0.0',
          source: 'shared-blueprints',
          valuesDigest: valuesDigest({}),
        },
        {
          name: 'web',
          change: 'added',
          blueprint: 'bp-web',
          version: '1.0.0',
          source: 'catalog',
          overlay: 'medium',
          valuesDigest: valuesDigest({ replicas: 2 }),
        },
      ],
    });
    expect(published[0].applications[0]).not.toHaveProperty('overlay');
    expect(published[1]).toMatchObject({
      author: { name: 'Grace Pusher' },
      touchesPolicies: false,
      applications: [
        {
          name: 'web',
          change: 'modified',
          version: '1.1.0',
          source: 'catalog',
          valuesDigest: valuesDigest({ replicas: 3 }),
        },
      ],
    });
    // The upgrade dropped the overlay: the pin says so by leaving it out.
    expect(published[1].applications[0]).not.toHaveProperty('overlay');
    expect(published[2].applications).toEqual([{ name: 'api', change: 'removed' }]);
    expect(published[3]).toMatchObject({ applications: [], touchesPolicies: true });
  });

  it('neither loses nor repeats commits across restarts, and picks up direct pushes', async () => {
    await repo.commit({
      branch: 'main',
      changes: applicationFiles('web', 'acme-dev'),
      message: 'one',
      author: identity(),
    });
    expect(await watcher().poll()).toBe(1);
    expect(await watcher().poll()).toBe(0);

    // A push by another Git client moves main by two commits while no watcher runs.
    await repo.commit({
      branch: 'main',
      changes: applicationFiles('web', 'acme-dev', { paused: true }),
      message: 'pause',
      author: identity('Other Client'),
    });
    await repo.commit({
      branch: 'main',
      changes: { 'README.md': 'hello\n' },
      message: 'docs',
      author: identity('Other Client'),
    });
    expect(await watcher().poll()).toBe(2);
    const published = await commits();
    expect(published).toHaveLength(3);
    expect(published[1].applications).toEqual([
      expect.objectContaining({ name: 'web', change: 'modified', paused: true }),
    ]);
    expect(published[2].applications).toEqual([]);

    // Crash after publishing, before recording the head: the republish is stored once.
    await heads.delete('acme-dev');
    expect(await watcher().poll()).toBe(3);
    expect(await commits()).toHaveLength(3);
  });

  it('publishes what lands on a Git host over smart HTTP, as the plugin opens repos (EnvironmentRepositories)', async () => {
    const host = await startTestGitHttpServer();
    const work = fs.mkdtempSync(join(os.tmpdir(), 'readside-host-'));
    try {
      const repos = EnvironmentRepositories.create({
        gitRoot: join(gitRoot, 'unused'),
        mirrorRoot: join(gitRoot, 'mirrors'),
        remote: { baseUrl: host.url, token: host.token },
      });
      const remoteWatcher = () =>
        GitCommitPublisher.create({
          environment,
          openRepository: () => repos.openIfExists('acme-dev'),
          publisher,
          heads,
          logger,
        });
      // Not on the host yet: nothing to watch, no error.
      expect(await remoteWatcher().poll()).toBe(0);

      const hostRepo = join(host.root, 'acme/acme-dev.git');
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', hostRepo]);
      const ours = await repos.ensure('acme-dev');
      const { sha: first } = await ours.commit({
        branch: 'main',
        changes: applicationFiles('web', 'acme-dev'),
        message: 'one',
        author: identity(),
      });

      // Another client pushes straight to the host; the watcher's mirror has not seen it.
      execFileSync('git', ['clone', '-q', hostRepo, work]);
      fs.writeFileSync(join(work, 'README.md'), 'pushed to the host\n');
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', work, '-c', 'user.name=Ops', '-c', 'user.email=ops@acme.example', ...args], {
          encoding: 'utf8',
        });
      git('add', '.');
      git('commit', '-qm', 'Pushed by hand');
      git('push', '-q', 'origin', 'HEAD:main');
      const pushed = git('rev-parse', 'HEAD').trim();

      await new Promise(r => setTimeout(r, 1100)); // past the mirror's staleness window
      expect(await remoteWatcher().poll()).toBe(2);
      expect((await commits()).map(c => c.sha)).toEqual([first, pushed]);
    } finally {
      await host.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('runs as a poller and waits for a repository that does not exist yet', async () => {
    let exists = false;
    const poller = GitCommitPublisher.create({
      environment,
      openRepository: async () => (exists ? repo : undefined),
      publisher,
      heads,
      logger,
      pollMs: 50,
    });
    poller.start();
    await new Promise(r => setTimeout(r, 150));
    exists = true;
    const { sha } = await repo.commit({
      branch: 'main',
      changes: applicationFiles('web', 'acme-dev'),
      message: 'one',
      author: identity(),
    });
    await waitFor('the commit published', async () => (await commits()).length > 0, 20_000);
    await poller.stop();
    expect((await commits()).map(c => c.sha)).toEqual([sha]);
  });
});
