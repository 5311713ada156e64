import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { DevCluster, startDevCluster } from '@internal/devcluster';
import { jetstream, jetstreamManager, JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { clustersForEnvironment, EnvironmentState } from '@internal/plugin-catalyst-common';
import { BareGitRepository } from '../../git/BareGitRepository';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { connectTestNats } from '../__testUtils__/events';
import { applicationFiles, createEnvironmentRepo, gotkSync, identity } from '../__testUtils__/environmentRepo';
import { foldStream } from '../__testUtils__/kv';
import { TcpProxy } from '../__testUtils__/tcpProxy';
import { waitFor } from '../__testUtils__/waitFor';
import { readEnvironmentLog } from '../projector/readEnvironmentLog';
import { JetStreamStreams } from '../streams/JetStreamStreams';
import { JetStreamEventPublisher } from './JetStreamEventPublisher';
import { knownObjects } from './kubernetesEvents';
import { KubernetesInformerPublisher } from './KubernetesInformerPublisher';

jest.setTimeout(60_000);

describe('KubernetesInformerPublisher against the devcluster', () => {
  const environment = { name: 'acme-dev', organization: 'acme', envType: 'dev' };
  let server: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let gitRoot: string;
  let repo: BareGitRepository;
  let devcluster: DevCluster;
  let publisher: JetStreamEventPublisher;
  const logger = mockServices.logger.mock();
  const running: KubernetesInformerPublisher[] = [];

  const informers = (known?: EnvironmentState, url = devcluster.url) => {
    const [target] = clustersForEnvironment(
      [{ name: 'devcluster', type: 'devcluster', url, environments: ['*'] }],
      'acme-dev',
    );
    const created = KubernetesInformerPublisher.create({
      target,
      environment,
      publisher,
      logger,
      ...(known ? { knownObjects: async kind => knownObjects(known, kind) } : {}),
    });
    running.push(created);
    return created;
  };

  const state = () => foldStream(js, 'acme', 'acme-dev');

  beforeEach(async () => {
    server = await startTestNatsServer();
    nc = await connectTestNats(server.url);
    js = jetstream(nc);
    const streams = JetStreamStreams.create({ jsm: await jetstreamManager(nc), logger });
    await streams.ensure('acme');
    publisher = JetStreamEventPublisher.create({ js, logger, ensureStream: org => streams.ensure(org) });
    gitRoot = fs.mkdtempSync(join(os.tmpdir(), 'readside-informers-'));
    repo = await createEnvironmentRepo(gitRoot, 'acme-dev');
    devcluster = await startDevCluster({ gitRoot, host: '127.0.0.1', port: 0, podReadyDelayMs: 150, pollMs: 50 });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map(i => i.stop()));
    await devcluster.stop();
    await nc.close();
    await server.dispose();
    fs.rmSync(gitRoot, { recursive: true, force: true });
  });

  it('publishes trimmed Kubernetes and Flux objects of the Environment, and deletions missed while not watching', async () => {
    const { sha } = await repo.commit({
      branch: 'main',
      changes: {
        ...gotkSync('acme-dev'),
        ...applicationFiles('web', 'acme-dev', { values: { replicas: 2 } }),
        // A second Application keeps flux-system/applications/ in the tree after web goes.
        ...applicationFiles('api', 'acme-dev'),
      },
      message: 'install web',
      author: identity(),
    });
    const first = informers();
    await first.start();
    const revision = `main@sha1:${sha}`;
    const applied = await waitFor(
      'web applied with 2 ready pods',
      async () => {
        await first.flushed();
        const s = await state();
        const pods = Object.values(s.namespaces.web?.pods ?? {});
        return (
          s.kustomizations.web?.lastAppliedRevision === revision && pods.length === 2 && pods.every(p => p.ready) && s
        );
      },
      20_000,
    );
    expect(applied.namespaces.web).toMatchObject({
      namespace: { phase: 'Active' },
      deployments: { web: { replicas: 2, readyReplicas: 2 } },
      services: { web: { type: 'ClusterIP' } },
    });
    expect(Object.keys(applied.namespaces.web.replicaSets)).toHaveLength(1);
    expect(applied.gitRepositories.environment).toMatchObject({ revision });
    expect(applied.kustomizations.web).toMatchObject({
      application: 'web',
      blueprint: 'bp-web',
      ready: { status: 'True' },
    });

    // Objects are trimmed to what the projection reads: no Flux inventory, no pod spec.
    const raw: string[] = [];
    await readEnvironmentLog({
      js,
      organization: 'acme',
      environment: 'acme-dev',
      onMessage: (_s, d) => raw.push(new TextDecoder().decode(d)),
    });
    expect(raw.some(r => r.includes('"inventory"'))).toBe(false);
    expect(raw.some(r => r.includes('"containers"'))).toBe(false);
    expect(raw.every(r => r.length < 4096)).toBe(true);

    // No backend watches while web is uninstalled; the next informers find it gone.
    await first.stop();
    await repo.commit({
      branch: 'main',
      changes: { 'applications/web/': null, 'flux-system/applications/web.yaml': null },
      message: 'uninstall web',
      author: identity(),
    });
    await devcluster.applyNow('acme-dev');
    await waitFor(
      'web pruned by the devcluster',
      async () => {
        const res = await fetch(`${devcluster.clusterUrl('acme-dev')}/apis/apps/v1/namespaces/web/deployments/web`);
        return res.status === 404;
      },
      20_000,
    );
    const second = informers(applied);
    await second.start();
    const after = await waitFor(
      'deletions published',
      async () => {
        await second.flushed();
        const s = await state();
        return !s.kustomizations.web && Object.keys(s.namespaces.web?.deployments ?? {}).length === 0 ? s : undefined;
      },
      20_000,
    );
    expect(after.namespaces.web?.pods ?? {}).toEqual({});
    expect(after.kustomizations.api).toBeDefined();
  });

  it('restarts failed watches with backoff and keeps publishing after the cluster was unreachable', async () => {
    await repo.commit({
      branch: 'main',
      changes: { ...gotkSync('acme-dev'), ...applicationFiles('web', 'acme-dev') },
      message: 'web',
      author: identity(),
    });
    const proxy = await TcpProxy.start(devcluster.url);
    try {
      const watching = informers(undefined, proxy.url);
      await watching.start();
      await waitFor(
        'web seen through the proxy',
        async () => {
          await watching.flushed();
          return !!(await state()).kustomizations.web;
        },
        20_000,
      );

      // The cluster starts failing: every watch breaks and every restart is answered 503.
      proxy.refuse();
      const { sha } = await repo.commit({
        branch: 'main',
        changes: applicationFiles('api', 'acme-dev'),
        message: 'api',
        author: identity(),
      });
      await devcluster.applyNow('acme-dev');
      const attempts = () => {
        const byPath = new Map<string, number[]>();
        for (const r of proxy.refused) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.at]);
        return byPath;
      };
      // Each kind's watch is restarted on its own: wait for four refused attempts of all eight.
      await waitFor(
        'four refused restarts of every watch',
        () => attempts().size === 8 && [...attempts().values()].every(at => at.length >= 4),
        30_000,
      );
      // The waits between attempts grow: backoffMs(n, 500) waits at least 250·2^(n-1) ms before the
      // n-th restart (whether the first refused request was the first restart or the immediate
      // re-watch after the cut). Lower bounds only: a loaded machine waits longer, never shorter.
      for (const [path, at] of attempts()) {
        const gaps = [at[1] - at[0], at[2] - at[1], at[3] - at[2]].map(g => Math.round(g + 5));
        // A gap below its floor shows as itself; one at or above it as the floor.
        const floors = [250, 500, 1000];
        expect({ path, gaps: gaps.map((g, i) => Math.min(g, floors[i])) }).toEqual({ path, gaps: floors });
      }
      proxy.forward();

      const after = await waitFor(
        'api seen after the outage',
        async () => {
          await watching.flushed();
          const s = await state();
          const applied = s.kustomizations.api?.lastAppliedRevision === `main@sha1:${sha}`;
          // Each kind has its own watch and backoff: wait until every one of them is back.
          const ns = s.namespaces.api;
          return applied && ns?.namespace && ns.deployments.api && ns.services.api && Object.keys(ns.pods).length === 1
            ? s
            : undefined;
        },
        30_000,
      );
      expect(after.namespaces.api).toMatchObject({
        namespace: { phase: 'Active' },
        services: { api: { type: 'ClusterIP' } },
      });
      expect(after.kustomizations.web).toBeDefined();
    } finally {
      await proxy.down();
    }
  });
});
