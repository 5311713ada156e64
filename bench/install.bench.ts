/*
 * Write-side figures (issue 4): install latency for 1 and 3 Applications, commits/s with 20
 * concurrent writers into one Environment, and our commit path vs the `git` CLI making the same
 * commit. Real bare repos in a temp dir, the seed catalog, SQLite in memory.
 *
 *   node_modules/.bin/sucrase-node bench/install.bench.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { applyMigrations } from '../plugins/catalyst-backend/src/database/migrations';
import { DatabaseOrganizationStore } from '../plugins/catalyst-backend/src/database/DatabaseOrganizationStore';
import { GitBlueprintRegistry } from '../plugins/catalyst-backend/src/blueprints/GitBlueprintRegistry';
import { EnvironmentController } from '../plugins/catalyst-backend/src/environments/EnvironmentController';
import { EnvironmentRepositories } from '../plugins/catalyst-backend/src/environments/EnvironmentRepositories';
import { BareGitRepository } from '../plugins/catalyst-backend/src/git/BareGitRepository';
import { ProvisioningService } from '../plugins/catalyst-backend/src/provisioning/ProvisioningService';
import { Authorization } from '../plugins/catalyst-backend/src/access/Authorization';
import { CatalystActionName, decideAccess } from '@internal/plugin-catalyst-common';
import { seedBlueprints } from '../plugins/catalyst-backend/src/seed/blueprints';
import { seedBlueprintRepos } from '../plugins/catalyst-backend/src/seed/seedBlueprintRepos';

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
};
const identity = () => ({ name: 'Catalyst', email: 'catalyst@local', timestamp: Math.floor(Date.now() / 1000) });
const catalyst = { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 };
const actor = {
  userRef: 'user:default/bench',
  displayName: 'Bench',
  email: 'bench@acme.example',
  ownershipRefs: ['user:default/bench'],
  grants: [{ role: 'org-admin' as const, organization: 'acme' }],
  credentials: {
    $$type: '@backstage/BackstageCredentials' as const,
    principal: { type: 'user', userEntityRef: 'user:default/bench' },
  },
};

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main() {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-bench-'));
  const db = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  try {
    await applyMigrations(db);
    await seedBlueprintRepos(root, seedBlueprints(), identity);
    const store = DatabaseOrganizationStore.create(db);
    await store.createOrganization({
      name: 'acme',
      displayName: 'ACME',
      sovereign: 'local',
      teams: [],
      createdBy: 'bench',
      createdAt: new Date().toISOString(),
    });
    for (const t of ['dev', 'stg', 'uat']) {
      await store.createEnvironment({
        name: `acme-${t}`,
        organization: 'acme',
        envType: t,
        placement: { preset: 'small', regions: [] },
        createdBy: 'bench',
        createdAt: new Date().toISOString(),
      });
    }
    const repos = EnvironmentRepositories.create({ gitRoot: root });
    await EnvironmentController.create({
      store,
      repos,
      logger: silent as never,
      committer: catalyst,
      now: () => new Date(),
    }).reconcileAll();
    const registry = GitBlueprintRegistry.create({
      gitRoot: root,
      organizations: async () => ['acme'],
      logger: silent as never,
    });
    await registry.refresh();
    // Authorization as in the server, from the actor's grants (the bench measures the write path).
    const access = {
      principal: async () => actor,
      decide: (p: typeof actor, a: CatalystActionName, scope: { organization: string; environment?: string }) =>
        decideAccess(p.grants, a, scope),
      authorize: async (
        p: typeof actor,
        a: CatalystActionName,
        scope: { organization: string; environment?: string },
      ) => decideAccess(p.grants, a, scope),
      readableEnvironments: async () => (await store.listEnvironments()).map(e => e.name),
    };
    const service = ProvisioningService.create({
      repos,
      authorization: Authorization.create({ access: access as never, store }),
      catalog: () => registry.catalog(),
      publisher: { publish: async () => undefined },
      committer: catalyst,
      now: () => new Date(),
      logger: silent as never,
    });

    // 1) install latency: 1 Application (bp-redis) and 3 Applications (the bundle: cms + its db + landing)
    for (const [label, env, n, body] of [
      [
        '1 Application (bp-redis)',
        'acme-dev',
        60,
        (i: number) => ({ application: `cache-${i}`, blueprint: 'bp-redis' }),
      ],
      [
        '3 Applications (bp-bundle-starter 1.0.0)',
        'acme-stg',
        40,
        (i: number) => ({
          application: `shop-${i}`,
          blueprint: 'bp-bundle-starter',
          version: '1.0.0',
          values: { domain: `s${i}.acme.example`, adminEmail: 'a@acme.example' },
        }),
      ],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const r = await service.install(actor as never, env, body(i));
        times.push(performance.now() - t0);
        if (i === 0) process.stdout.write(`  (${label}: ${r.applications.length} Applications per commit)\n`);
      }
      process.stdout.write(
        `install latency, ${label}, ${n} sequential installs into a growing Environment: p50 ${fmt(
          pct(times, 50),
        )}, p95 ${fmt(pct(times, 95))}\n`,
      );
    }

    // 2) throughput: 20 concurrent writers into one Environment
    const writers = 20;
    const perWriter = 10;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        (async () => {
          for (let i = 0; i < perWriter; i++) {
            await service.install(actor as never, 'acme-uat', { application: `w${w}-${i}`, blueprint: 'bp-echo' });
          }
        })(),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const commits =
      Number(execFileSync('git', ['--git-dir', repos.path('acme-uat'), 'rev-list', '--count', 'main']).toString()) - 1;
    process.stdout.write(
      `commits/s with ${writers} concurrent writers into one Environment: ${((writers * perWriter) / seconds).toFixed(
        1,
      )} (${commits} commits, linear)\n`,
    );

    // 3) our commit path vs the git CLI making the same commit (a 3-file Application folder)
    const files = (i: number) => ({
      [`applications/x${i}/values.yaml`]: `replicas: ${i}\n`,
      [`applications/x${i}/application.yaml`]: `kind: Application\nmetadata: {name: x${i}}\n`,
      [`flux-system/applications/x${i}.yaml`]: `kind: Kustomization\nmetadata: {name: x${i}}\n`,
    });
    const ours = await BareGitRepository.init(join(root, 'ratio/ours.git'));
    const rounds = 100;
    let t = performance.now();
    for (let i = 0; i < rounds; i++) {
      await ours.commit({ branch: 'main', message: `x${i}`, author: identity(), changes: files(i) });
    }
    const oursMs = (performance.now() - t) / rounds;
    const cliGitdir = join(root, 'ratio/cli.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', cliGitdir]);
    const env = {
      ...process.env,
      GIT_DIR: cliGitdir,
      GIT_INDEX_FILE: join(root, 'ratio/cli.index'),
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x',
    };
    const cli = (args: string[], input?: string) => execFileSync('git', args, { env, input }).toString().trim();
    t = performance.now();
    for (let i = 0; i < rounds; i++) {
      // the same plumbing a server-side writer without a work tree uses: blobs, index, tree, commit, CAS ref update
      const parent = i === 0 ? undefined : cli(['rev-parse', 'main']);
      if (parent) cli(['read-tree', parent]);
      for (const [path, content] of Object.entries(files(i))) {
        const oid = cli(['hash-object', '-w', '--stdin'], content);
        cli(['update-index', '--add', '--cacheinfo', `100644,${oid},${path}`]);
      }
      const tree = cli(['write-tree']);
      const commit = cli(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', `x${i}`]);
      cli(['update-ref', 'refs/heads/main', commit, ...(parent ? [parent] : [])]);
    }
    const cliMs = (performance.now() - t) / rounds;
    process.stdout.write(
      `commit of a 3-file Application folder: ours ${fmt(oursMs)}, git CLI plumbing ${fmt(cliMs)} (ours/CLI ${(
        oursMs / cliMs
      ).toFixed(2)}x)\n`,
    );
  } finally {
    await db.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
