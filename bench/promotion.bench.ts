/**
 * Promotion (issue 13) as people do it, over HTTP with the tokens sign-in issues:
 *   - Copy click → change request created: `POST /api/catalyst/promotions` acme-stg → acme-prod, as
 *     the portal's "Copy to …" button sends it (layla, team-apps);
 *   - last approval → merged → Running in the destination: pat (team-platform) approves, then sam
 *     (team-security) — timed from sam's `POST /change-requests/:id/approve` until the request is
 *     merged, and until the destination's read model (`GET /environments/acme-prod/status`, what SSE
 *     streams) shows the Application Running at the promoted version.
 *
 * Real parts: the catalyst backend plugin with Backstage's real auth and the Catalyst sign-in
 * resolver, the local identity provider (the seeded demo users), nats-server, bare repos in the
 * data dir, the read side, and a devcluster applying the Environments (poll 500 ms, pods Ready
 * 1.5 s after they start, its defaults). acme-prod's seeded policy also has a 24 h soak and a
 * weekday window; for the bench a platform engineer's direct commit narrows it to its approval rule
 * (two approvals, team-platform and team-security), so the last approval is what the merge waits for.
 *
 *   node_modules/.bin/sucrase-node bench/promotion.bench.ts [copies=40] [merges=10]
 */
import authPlugin from '@backstage/plugin-auth-backend';
import { freePort, signInToBackstage, startCatalystTestBackend } from '@internal/catalyst-test-utils';
import { startDevCluster } from '@internal/devcluster';
import { startIdentityProvider } from '@internal/idp';
import authModuleCatalystProvider from '@internal/plugin-auth-backend-module-catalyst-provider';
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BareGitRepository } from '../plugins/catalyst-backend/src/git/BareGitRepository';

const COPIES = Number(process.argv[2] ?? 40);
const MERGES = Number(process.argv[3] ?? 10);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const PROD_POLICY = `apiVersion: catalyst.openova.io/v1alpha1
kind: EnvironmentPolicy
metadata:
  name: acme-prod
spec:
  appliesTo:
    environments: [acme-prod]
  rules:
    - kind: pr-required
      approvers: [team-platform, team-security]
      minApprovals: 2
`;

async function main() {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-bench-promotion-'));
  const dataDir = join(dir, 'data');
  fs.mkdirSync(join(dataDir, 'git'), { recursive: true });
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const idp = await startIdentityProvider({ dataDir: join(dir, 'idp'), port: 0, portalUrl: url });
  const cluster = await startDevCluster({ gitRoot: join(dataDir, 'git'), host: '127.0.0.1', port: 0 });
  const backend = await startCatalystTestBackend({
    catalyst: [catalystBackend, catalystPermissionPolicy],
    extraFeatures: [authPlugin, authModuleCatalystProvider],
    realAuth: true,
    publicPort: port,
    users: [],
    bindings: [],
    config: {
      dataDir,
      clusters: [{ name: 'devcluster', type: 'devcluster', url: cluster.url, environments: ['*'] }],
    },
    rootConfig: {
      auth: {
        session: { secret: 'bench-session-secret' },
        providers: {
          oidc: {
            development: {
              metadataUrl: `${idp.issuer('catalyst')}/.well-known/openid-configuration`,
              clientId: 'catalyst-portal',
              clientSecret: 'catalyst-dev-secret',
              prompt: 'auto',
              additionalScopes: ['groups', 'offline_access'],
            },
          },
        },
      },
    },
  });
  try {
    const session = async (username: string) =>
      (
        await signInToBackstage({
          backendUrl: url,
          appOrigin: url,
          providerId: 'oidc',
          username,
          password: `${username}-demo`,
        })
      ).token;
    const [layla, pat, sam] = [await session('layla'), await session('pat'), await session('sam')];
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}/api/catalyst${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };

    const prod = await BareGitRepository.open(join(dataDir, 'git', 'acme', 'acme-prod.git'));
    await prod.commit({
      branch: 'main',
      expectedHead: (await prod.resolve('main'))!,
      message: 'policy: approvals only, for the promotion bench',
      author: { name: 'Platform', email: 'platform@acme.example', timestamp: Math.floor(Date.now() / 1000) },
      changes: { 'policies/environment-policy.yaml': PROD_POLICY },
    });

    const apps = Array.from({ length: COPIES }, (_, i) => `site-${String(i).padStart(3, '0')}`);
    for (const app of apps) {
      await call(layla, 'POST', '/environments/acme-stg/applications', {
        application: app,
        blueprint: 'bp-static-site',
        values: { domain: `${app}.acme.example` },
      });
    }

    // Copy click → change request created (the portal's Copy to … sends exactly this)
    const copy: number[] = [];
    const ids: string[] = [];
    for (const app of apps) {
      const t = performance.now();
      const r = await call(layla, 'POST', '/promotions', {
        sourceEnvironment: 'acme-stg',
        application: app,
        targetEnvironment: 'acme-prod',
      });
      copy.push(performance.now() - t);
      if (!r.changeRequest?.id) throw new Error(`no change request for ${app}: ${JSON.stringify(r)}`);
      ids.push(r.changeRequest.id);
    }
    console.log(
      `copy → change request created, ${COPIES} copies into acme-prod over HTTP (up to ${ids.length} open): p50 ${ms(
        pct(copy, 50),
      )}, p95 ${ms(pct(copy, 95))}`,
    );

    // Last approval → merged → Running at the promoted version in the destination's read model
    const toMerge: number[] = [];
    const toRunning: number[] = [];
    for (let i = 0; i < Math.min(MERGES, ids.length); i++) {
      await call(pat, 'POST', `/change-requests/${ids[i]}/approve`, {});
      const t = performance.now();
      const approved = await call(sam, 'POST', `/change-requests/${ids[i]}/approve`, {});
      for (let state = approved.state; state !== 'merged'; ) {
        if (state !== 'open') throw new Error(`${ids[i]} is ${state}`);
        await new Promise(r => setTimeout(r, 10));
        state = (await call(sam, 'GET', `/change-requests/${ids[i]}`)).state;
      }
      toMerge.push(performance.now() - t);
      for (;;) {
        const status = await call(sam, 'GET', '/environments/acme-prod/status');
        const view = status.applications.find((a: { name: string }) => a.name === apps[i]);
        if (view?.status === 'Running') break;
        await new Promise(r => setTimeout(r, 25));
      }
      toRunning.push(performance.now() - t);
    }
    console.log(
      `last approval → merged, ${toMerge.length} requests: p50 ${ms(pct(toMerge, 50))}, p95 ${ms(pct(toMerge, 95))}`,
    );
    console.log(
      `last approval → Running in acme-prod's read model (devcluster poll 500 ms, pods Ready after 1.5 s): p50 ${ms(
        pct(toRunning, 50),
      )}, p95 ${ms(pct(toRunning, 95))}`,
    );
  } finally {
    await backend.stop();
    await cluster.stop();
    await idp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
