/*
 * Server-side answer times of the portal pages at scale (issue 7): 10,000 Applications across 100
 * Environments (20 Organizations x 5 env types), projected into the read model; then p50/p95 of
 *   - the Blueprint page's usage table: GET /blueprints/:name/applications (one request)
 *   - the Environment page: GET /environments/:env/applications + GET /environments/:env/status
 * against the real catalyst plugin (real NATS, bare repos, read side) on a test backend.
 *
 *   node_modules/.bin/sucrase-node bench/pages.bench.ts
 */
import { composeEnvironmentFiles, resolveInstall } from '@internal/plugin-catalyst-common';
import request from 'supertest';
import { BareGitRepository } from '../plugins/catalyst-backend/src/git/BareGitRepository';
import { GitBlueprintRegistry } from '../plugins/catalyst-backend/src/blueprints/GitBlueprintRegistry';
import { startCatalystTestBackend } from '@internal/catalyst-test-utils';
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';
import { join } from 'node:path';

const ORGS = 20;
const ENV_TYPES = ['dev', 'stg', 'uat', 'prod', 'poc'];
const APPS_PER_ENV = 100;
const BLUEPRINTS = ['bp-echo', 'bp-redis', 'bp-postgres', 'bp-static-site', 'bp-grafana'];
const ROOT_USER = 'user:default/root';

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const b = await startCatalystTestBackend({
    catalyst: [catalystBackend, catalystPermissionPolicy],
    users: [{ ref: ROOT_USER, displayName: 'Root', email: 'root@example.com' }],
    bindings: [{ subject: ROOT_USER, role: 'sovereign-admin', organization: '*' }],
  });
  const auth = { Authorization: b.header(ROOT_USER) };
  try {
    const t0 = Date.now();
    const envs: string[] = [];
    for (let o = 0; o < ORGS; o++) {
      const org = `org${String(o).padStart(2, '0')}x`;
      if (o > 0)
        await request(b.server)
          .post('/api/catalyst/organizations')
          .set(auth)
          .send({ name: org, displayName: org })
          .expect(201);
      for (const envType of ENV_TYPES) {
        const name = `${o === 0 ? 'acme' : org}-${envType}`;
        if (o > 0 || envType === 'uat' || envType === 'poc') {
          await request(b.server)
            .post('/api/catalyst/environments')
            .set(auth)
            .send({ organization: o === 0 ? 'acme' : org, envType })
            .expect(201);
        }
        envs.push(name);
      }
    }
    // Applications are written straight into the repos, 100 per commit (the write path has its own bench)
    const registry = GitBlueprintRegistry.create({
      gitRoot: join(b.dataDir, 'git'),
      organizations: async () => [],
      logger: silent as never,
    });
    await registry.refresh();
    const catalog = registry.catalog();
    for (const env of envs) {
      const repo = await BareGitRepository.open(join(b.dataDir, 'git', env.replace(/-[a-z]+$/, ''), `${env}.git`));
      const changes: Record<string, string> = {};
      for (let i = 0; i < APPS_PER_ENV; i++) {
        const blueprint = BLUEPRINTS[i % BLUEPRINTS.length];
        const r = resolveInstall(catalog, {
          environment: env,
          application: `app-${i}`,
          blueprint,
          values: { domain: `a${i}.example.com` },
        });
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        Object.assign(
          changes,
          (composeEnvironmentFiles(r.plan, env, catalog) as { files: Record<string, string> }).files,
        );
      }
      await repo.commit({
        branch: 'main',
        message: `Seed ${APPS_PER_ENV} Applications`,
        author: { name: 'bench', email: 'b@x', timestamp: Math.floor(Date.now() / 1000) },
        changes,
      });
    }
    process.stdout.write(
      `seeded ${envs.length} Environments x ${APPS_PER_ENV} Applications in ${((Date.now() - t0) / 1000).toFixed(
        0,
      )} s; waiting for the read model\n`,
    );
    const deadline = Date.now() + 15 * 60_000;
    for (const env of envs) {
      while (Date.now() < deadline) {
        const res = await request(b.server).get(`/api/catalyst/environments/${env}/status`).set(auth);
        if (res.status === 200 && res.body.applications.length >= APPS_PER_ENV) break;
        await new Promise(r => setTimeout(r, 500));
      }
    }
    process.stdout.write(`read model complete after ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);

    const measure = async (label: string, n: number, fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 5; i++) await fn(i); // warm-up
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await fn(i);
        times.push(performance.now() - s);
      }
      process.stdout.write(
        `${label}: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (${n} requests)\n`,
      );
    };
    await measure(
      'Blueprint usage table, GET /blueprints/bp-echo/applications (2,000 Applications in 100 Environments)',
      100,
      async () => {
        const res = await request(b.server).get('/api/catalyst/blueprints/bp-echo/applications').set(auth);
        if (res.body.items.length !== (APPS_PER_ENV / BLUEPRINTS.length) * envs.length)
          throw new Error(`got ${res.body.items.length}`);
      },
    );
    await measure(
      'Environment page, GET /environments/:env/applications + /status (100 Applications)',
      200,
      async i => {
        const env = envs[i % envs.length];
        await Promise.all([
          request(b.server).get(`/api/catalyst/environments/${env}/applications`).set(auth).expect(200),
          request(b.server).get(`/api/catalyst/environments/${env}/status`).set(auth).expect(200),
        ]);
      },
    );
  } finally {
    await b.stop();
  }
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  },
);
