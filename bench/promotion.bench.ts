/**
 * Promotion (issue 13): the Copy click → change request created, and the last approval → merged →
 * Running in the destination.
 *
 * Seed catalog, real bare repos in a temp dir, SQLite in memory, the services every surface calls
 * (ProvisioningService, ChangeRequestService) and a devcluster with its defaults (poll 500 ms, pods
 * Ready 1.5 s after they start) applying acme-prod. acme-prod's policy is one pr-required rule
 * (team-platform), so the approval is the last thing missing and the merge follows it at once.
 *
 *   node_modules/.bin/sucrase-node bench/promotion.bench.ts [copies=40] [merges=10]
 */
import { startDevCluster } from '@internal/devcluster';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { decideAccess, RoleGrant } from '@internal/plugin-catalyst-common';
import { Authorization } from '../plugins/catalyst-backend/src/access/Authorization';
import { GitBlueprintRegistry } from '../plugins/catalyst-backend/src/blueprints/GitBlueprintRegistry';
import { ChangeRequestNotifier } from '../plugins/catalyst-backend/src/changes/ChangeRequestNotifier';
import { ChangeRequestService } from '../plugins/catalyst-backend/src/changes/ChangeRequestService';
import { ChangeRequestStore } from '../plugins/catalyst-backend/src/changes/ChangeRequestStore';
import { DatabaseOrganizationStore } from '../plugins/catalyst-backend/src/database/DatabaseOrganizationStore';
import { applyMigrations } from '../plugins/catalyst-backend/src/database/migrations';
import { EnvironmentController } from '../plugins/catalyst-backend/src/environments/EnvironmentController';
import { EnvironmentRepositories } from '../plugins/catalyst-backend/src/environments/EnvironmentRepositories';
import { ProvisioningService } from '../plugins/catalyst-backend/src/provisioning/ProvisioningService';
import { seedBlueprints } from '../plugins/catalyst-backend/src/seed/blueprints';
import { seedBlueprintRepos } from '../plugins/catalyst-backend/src/seed/seedBlueprintRepos';
import knexFactory from 'knex';

const COPIES = Number(process.argv[2] ?? 40);
const MERGES = Number(process.argv[3] ?? 10);
const catalyst = { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 };
const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as any;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;

function person(name: string, grants: RoleGrant[], teams: string[]): CatalystPrincipal {
  const userRef = `user:acme/${name}`;
  return {
    userRef,
    displayName: name,
    email: `${name}@acme.example`,
    ownershipRefs: [userRef, ...teams.map(t => `group:acme/${t}`)],
    grants,
    credentials: mockCredentials.user(userRef),
  };
}

async function main() {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-bench-promotion-'));
  const db = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  await applyMigrations(db);
  const cluster = await startDevCluster({ gitRoot: root, host: '127.0.0.1', port: 0 });
  try {
    await seedBlueprintRepos(root, seedBlueprints(), () => ({ ...catalyst, timestamp: 1_700_000_000 }));
    const store = DatabaseOrganizationStore.create(db);
    const at = new Date().toISOString();
    await store.createOrganization({
      name: 'acme',
      displayName: 'ACME',
      sovereign: 'local',
      teams: ['team-platform'],
      createdBy: 'b',
      createdAt: at,
    });
    for (const envType of ['stg', 'prod']) {
      await store.createEnvironment({
        name: `acme-${envType}`,
        organization: 'acme',
        envType,
        placement: { preset: 'small', regions: [] },
        ...(envType === 'prod' ? { initialPolicyRules: [{ kind: 'pr-required', approvers: ['team-platform'] }] } : {}),
        createdBy: 'b',
        createdAt: at,
      });
    }
    const repos = EnvironmentRepositories.create({ gitRoot: root });
    const now = () => new Date();
    await EnvironmentController.create({ store, repos, logger: silent, committer: catalyst, now }).reconcileAll();
    const registry = GitBlueprintRegistry.create({
      gitRoot: root,
      organizations: async () => ['acme'],
      logger: silent,
    });
    await registry.refresh();
    const authorization = Authorization.create({
      access: {
        principal: async () => {
          throw new Error('principals are passed in');
        },
        decide: (p, action, scope) => decideAccess(p.grants, action, scope),
        authorize: async (p, action, scope) => decideAccess(p.grants, action, scope),
        readableEnvironments: async p =>
          (await store.listEnvironments())
            .filter(e => decideAccess(p.grants, 'read', { organization: e.organization, environment: e.name }).allowed)
            .map(e => e.name),
      },
      store,
    });
    const publisher = { publish: async () => undefined };
    const changeRequests = ChangeRequestService.create({
      store: ChangeRequestStore.create(db),
      registry: store,
      repos,
      authorization,
      catalog: () => registry.catalog(),
      publisher,
      soak: async () => null,
      notifier: ChangeRequestNotifier.create({ securityOfficers: async () => [], logger: silent }),
      committer: catalyst,
      now,
      logger: silent,
    });
    const provisioning = ProvisioningService.create({
      repos,
      authorization,
      catalog: () => registry.catalog(),
      publisher,
      changeRequests,
      committer: catalyst,
      now,
      logger: silent,
    });
    const dev = person('pat', [{ role: 'org-developer', organization: 'acme' }], ['team-apps']);
    const approver = person('lee', [{ role: 'org-developer', organization: 'acme' }], ['team-platform']);

    const apps = Array.from({ length: COPIES }, (_, i) => `site-${String(i).padStart(3, '0')}`);
    for (const app of apps) {
      await provisioning.install(dev, 'acme-stg', {
        application: app,
        blueprint: 'bp-static-site',
        values: { domain: `${app}.acme.example` },
      });
    }

    // Copy click → change request created (what POST /promotions does behind the router)
    const copy: number[] = [];
    const ids: string[] = [];
    for (const app of apps) {
      const t = performance.now();
      const r = await provisioning.promote(dev, {
        sourceEnvironment: 'acme-stg',
        application: app,
        targetEnvironment: 'acme-prod',
      });
      copy.push(performance.now() - t);
      ids.push(r.changeRequest!.id);
    }
    console.log(
      `copy → change request created, ${COPIES} copies into acme-prod (${ids.length} open): p50 ${ms(
        pct(copy, 50),
      )}, p95 ${ms(pct(copy, 95))}`,
    );

    // Last approval → merged (the approve call returns once merged) → Running in the devcluster
    const toMerge: number[] = [];
    const toRunning: number[] = [];
    for (let i = 0; i < Math.min(MERGES, ids.length); i++) {
      const t = performance.now();
      const merged = await changeRequests.approve(approver, ids[i]);
      if (merged.state !== 'merged') throw new Error(`${ids[i]} is ${merged.state}`);
      toMerge.push(performance.now() - t);
      const app = apps[i];
      for (;;) {
        const res = await fetch(
          `${cluster.clusterUrl('acme-prod')}/api/v1/pods?labelSelector=${encodeURIComponent(
            `catalyst.openova.io/application=${app}`,
          )}`,
        );
        const pods = (
          (await res.json()) as {
            items: Array<{ status?: { phase?: string; conditions?: Array<{ type: string; status: string }> } }>;
          }
        ).items;
        if (pods.length && pods.every(p => p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True')))
          break;
        await new Promise(r => setTimeout(r, 25));
      }
      toRunning.push(performance.now() - t);
    }
    console.log(
      `last approval → merged, ${toMerge.length} requests: p50 ${ms(pct(toMerge, 50))}, p95 ${ms(pct(toMerge, 95))}`,
    );
    console.log(
      `last approval → Running in acme-prod (devcluster poll 500 ms, pods Ready after 1.5 s): p50 ${ms(
        pct(toRunning, 50),
      )}, p95 ${ms(pct(toRunning, 95))}`,
    );
  } finally {
    await cluster.stop();
    await db.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
