import { mockServices } from '@backstage/backend-test-utils';
import { installableVersions } from '@internal/plugin-catalyst-common';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startTestGitHttpServer } from '@internal/catalyst-test-utils';
import { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import { BareGitRepository } from '../git/BareGitRepository';
import { seedBlueprints } from '../seed/blueprints';
import { seedBlueprintRepos } from '../seed/seedBlueprintRepos';
import { GitBlueprintRegistry } from './GitBlueprintRegistry';

const who = () => ({ name: 'Test', email: 't@example.com', timestamp: 1_700_000_000 });

describe('GitBlueprintRegistry', () => {
  let root: string;
  let registry: GitBlueprintRegistry;
  beforeAll(async () => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-registry-'));
    await seedBlueprintRepos(root, seedBlueprints(), who);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    registry = GitBlueprintRegistry.create({
      gitRoot: root,
      organizations: async () => ['acme'],
      logger: mockServices.logger.mock(),
    });
  });

  it('registers every released version from the catalog and the Organization repo', async () => {
    const result = await registry.refresh();
    const expected = seedBlueprints().reduce((n, bp) => n + bp.versions.length, 0);
    expect(result).toEqual({ registered: expected, invalid: 0, changed: true });
    const catalog = registry.catalog();
    expect(catalog.versions('bp-postgres').map(v => v.blueprint.metadata.version)).toEqual(['1.6.0', '1.5.0', '1.4.0']);
    expect(catalog.versions('bp-acme-payments')[0]).toMatchObject({
      source: 'shared-blueprints',
      organization: 'acme',
    });
    expect(installableVersions(catalog, 'bp-acme-payments', 'acme')).toHaveLength(2);
    expect(installableVersions(catalog, 'bp-acme-payments', 'globex')).toHaveLength(0);
    expect(Object.keys(catalog.versions('bp-wordpress')[0].files)).toContain('manifests/base/deployment.yaml');
    expect((await registry.refresh()).changed).toBe(false);
  });

  it('reads the same sources from a Git host over smart HTTP, and drops a release whose tag the host deleted', async () => {
    const host = await startTestGitHttpServer();
    let closed = false;
    const logger = mockServices.logger.mock();
    const mirrors = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-registry-mirrors-'));
    try {
      fs.cpSync(join(root, 'catalog.git'), join(host.root, 'local/catalog.git'), { recursive: true });
      fs.cpSync(join(root, 'acme/shared-blueprints.git'), join(host.root, 'acme/shared-blueprints.git'), {
        recursive: true,
      });
      const repos = EnvironmentRepositories.create({
        gitRoot: join(mirrors, 'unused'),
        mirrorRoot: mirrors,
        sovereign: 'local',
        remote: { baseUrl: host.url, token: host.token },
      });
      const remote = GitBlueprintRegistry.create({
        gitRoot: join(mirrors, 'unused'),
        organizations: async () => ['acme', 'globex'],
        logger,
        openSource: source => repos.openBlueprintSource(source),
      });
      const expected = seedBlueprints().reduce((n, bp) => n + bp.versions.length, 0);
      // globex has no shared-blueprints repo on the host: skipped, not an error.
      expect(await remote.refresh()).toEqual({ registered: expected, invalid: 0, changed: true });
      expect(remote.catalog().versions('bp-acme-payments')[0]).toMatchObject({
        source: 'shared-blueprints',
        organization: 'acme',
      });

      execFileSync('git', ['--git-dir', join(host.root, 'local/catalog.git'), 'tag', '-d', 'bp-postgres/v1.6.0'], {
        stdio: 'ignore',
      });
      await new Promise(r => setTimeout(r, 1100)); // past the mirror's staleness window
      expect(await remote.refresh()).toMatchObject({ registered: expected - 1, changed: true });
      expect(
        remote
          .catalog()
          .versions('bp-postgres')
          .map(v => v.blueprint.metadata.version),
      ).toEqual(['1.5.0', '1.4.0']);

      // A host that refuses the token is an error to report, not an Organization without Blueprints.
      const refused = EnvironmentRepositories.create({
        gitRoot: join(mirrors, 'unused'),
        mirrorRoot: join(mirrors, 'refused'),
        sovereign: 'local',
        remote: { baseUrl: host.url, token: 'wrong' },
      });
      await expect(refused.openBlueprintSource({ source: 'catalog' })).rejects.toMatchObject({ code: 'unreachable' });
      expect(
        await refused.openBlueprintSource({ source: 'shared-blueprints', organization: 'globex' }).catch(e => e.code),
      ).toBe('unreachable');
      // The same for Environment repos: the Git watcher reports it rather than waiting for a repo.
      await expect(refused.openIfExists('acme-dev')).rejects.toMatchObject({ code: 'unreachable' });
      expect(await repos.openIfExists('acme-dev')).toBeUndefined();

      // The host going away keeps what was registered (and says so) instead of emptying the catalog.
      await host.close();
      closed = true;
      await new Promise(r => setTimeout(r, 1100));
      expect(await remote.refresh()).toMatchObject({ registered: expected - 1, changed: false });
      expect(remote.catalog().versions('bp-acme-payments')).toHaveLength(2);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('could not be read; keeping its registered versions'),
        expect.anything(),
      );
    } finally {
      if (!closed) await host.close();
      fs.rmSync(mirrors, { recursive: true, force: true });
    }
  }, 30_000);

  it('reports a release whose blueprint.yaml disagrees with its tag, and never registers it', async () => {
    const repo = await BareGitRepository.open(join(root, 'catalog.git'));
    const head = (await repo.resolve('main'))!;
    const yaml = (await repo.readFile(head, 'bp-redis/blueprint.yaml'))!;
    const { sha } = await repo.commit({
      branch: 'bad',
      message: 'mislabelled',
      author: who(),
      changes: { 'bp-redis/blueprint.yaml': yaml.replace('version: 2.0.0', 'version: 2.0.1') },
    });
    await repo.tag('bp-redis/v2.1.0', sha);
    try {
      const result = await registry.refresh();
      expect(result.invalid).toBe(1);
      expect(registry.invalid()[0]).toMatchObject({
        repository: 'catalog',
        tag: 'bp-redis/v2.1.0',
        errors: expect.arrayContaining([expect.objectContaining({ code: 'tag-mismatch', path: 'metadata.version' })]),
      });
      expect(
        registry
          .catalog()
          .versions('bp-redis')
          .map(v => v.blueprint.metadata.version),
      ).not.toContain('2.1.0');
    } finally {
      fs.rmSync(join(repo.gitdir, 'refs/tags/bp-redis/v2.1.0'));
    }
  });

  it('sees a new release within one refresh and notifies listeners', async () => {
    await registry.refresh();
    const generation = registry.currentGeneration();
    const changes: number[] = [];
    registry.onChange(() => changes.push(registry.currentGeneration()));
    const repo = await BareGitRepository.open(join(root, 'catalog.git'));
    const head = (await repo.resolve('main'))!;
    const files = await repo.readDir(head, 'bp-echo');
    const changed: Record<string, string> = {};
    for (const [p, c] of Object.entries(files)) changed[p] = c.replace('version: 0.2.0', 'version: 0.3.0');
    const { sha } = await repo.commit({
      branch: 'main',
      message: 'Release bp-echo 0.3.0',
      author: who(),
      changes: changed,
    });
    await repo.tag('bp-echo/v0.3.0', sha);
    await registry.refresh();
    expect(registry.catalog().versions('bp-echo')[0].blueprint.metadata.version).toBe('0.3.0');
    expect(changes).toEqual([generation + 1]);
  });
});
