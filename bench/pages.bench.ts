/*
 * Server-side answer times of the portal pages at scale (issues 7, 16): 10,000 Applications across
 * 100 Environments (20 Organizations x 5 env types, 100 Applications each) or across 1,000
 * (200 Organizations, 10 each), projected into the read model; then p50/p95 of
 *   - the Blueprint page's usage table as the route answers it: GET /blueprints/:name/applications;
 *   - the same table from the read side's Blueprint usage view (KvBlueprintUsage, what
 *     ReadSide.blueprintUsage answers from), as a second replica would serve it: its own NATS
 *     connection and mirror of the shared bucket, behind one HTTP route (no authorization);
 *   - the Environment page: GET /environments/:env/applications + GET /environments/:env/status
 * against the real catalyst plugin (real NATS, bare repos, read side) on a test backend.
 *
 *   node_modules/.bin/sucrase-node bench/pages.bench.ts [environments=100]
 */
import { composeEnvironmentFiles, resolveInstall } from '@internal/plugin-catalyst-common';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import express from 'express';
import request from 'supertest';
import { KvBlueprintUsage } from '../plugins/catalyst-backend/src/readside/usage/KvBlueprintUsage';
import { BareGitRepository } from '../plugins/catalyst-backend/src/git/BareGitRepository';
import { GitBlueprintRegistry } from '../plugins/catalyst-backend/src/blueprints/GitBlueprintRegistry';
import { startCatalystTestBackend } from '@internal/catalyst-test-utils';
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';
import { join } from 'node:path';

const ENV_TYPES = ['dev', 'stg', 'uat', 'prod', 'poc'];
const APPLICATIONS = 10_000;
const ENVIRONMENTS = Number(process.argv[2] ?? 100);
const ORGS = ENVIRONMENTS / ENV_TYPES.length;
const APPS_PER_ENV = APPLICATIONS / ENVIRONMENTS;
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
      const org = `org${String(o).padStart(3, '0')}x`;
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

    // A second replica's view of the shared usage bucket, serving the table over HTTP.
    const expected = (APPS_PER_ENV / BLUEPRINTS.length) * envs.length;
    const nc = await connect({ servers: b.nats.url, name: 'bench-replica' });
    const js = jetstream(nc);
    const view = await KvBlueprintUsage.create({ kvm: new Kvm(js), js, logger: silent as never });
    view.start();
    const replica = express().get('/blueprints/:name/applications', (req, res, next) => {
      view
        .usage(req.params.name, { environments: envs })
        .then(items => res.json({ blueprint: req.params.name, items }), next);
    });
    while ((await view.usage('bp-echo', { environments: envs })).length < expected) {
      if (Date.now() > deadline) throw new Error('the Blueprint usage view did not fill');
      await new Promise(r => setTimeout(r, 500));
    }
    process.stdout.write(`usage view complete after ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);

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
    const table = `${expected.toLocaleString('en')} Applications in ${envs.length} Environments`;
    await measure(`Blueprint usage table, route GET /blueprints/bp-echo/applications (${table})`, 100, async () => {
      const res = await request(b.server).get('/api/catalyst/blueprints/bp-echo/applications').set(auth);
      if (res.body.items.length !== expected) throw new Error(`got ${res.body.items.length}`);
    });
    await measure(`Blueprint usage table from the read side's usage view, second replica (${table})`, 100, async () => {
      const res = await request(replica).get('/blueprints/bp-echo/applications');
      if (res.body.items.length !== expected) throw new Error(`got ${res.body.items.length}`);
    });
    await view.stop();
    await nc.close();
    await measure(
      `Environment page, GET /environments/:env/applications + /status (${APPS_PER_ENV} Applications)`,
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
