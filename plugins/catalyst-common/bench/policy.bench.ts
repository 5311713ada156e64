/**
 * Policy evaluation and projection throughput. Not a test: it prints figures for bench/README.md.
 * Run from plugins/catalyst-common: ../../node_modules/.bin/sucrase-node bench/policy.bench.ts
 */
import { createRandom, generateEventLog } from '../src/__fixtures__/projection/generateEventLog';
import {
  evaluatePolicy,
  PolicyApproval,
  PolicyChange,
  PolicyFacts,
  PolicyUnderEvaluation,
} from '../src/policy/evaluatePolicy';
import { project, projectWithChanges } from '../src/projection/project';
import { createEnvironmentState, EnvironmentState } from '../src/projection/state';

const out = (line: string) => process.stdout.write(`${line}\n`);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { mean, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

// A corporate production policy: two teams, three approvers, 72h soak, Tue/Thu window in Berlin.
const policy: PolicyUnderEvaluation = {
  environment: 'acme-prod',
  rules: [
    { kind: 'pr-required', approvers: ['team-platform', 'team-security'], minApprovals: 3 },
    { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '72h' },
    { kind: 'change-window', cron: '0 14 * * 2,4', duration: '2h', timezone: 'Europe/Berlin' },
  ],
};

const USERS = ['layla', 'omar', 'sara', 'yusuf', 'nadia', 'admin', 'ahmed', 'maryam'];
const TEAMS = ['group:acme/team-platform', 'group:acme/team-security', 'group:acme/team-data'];

function changeRequests(count: number) {
  const random = createRandom(7);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const start = Date.UTC(2026, 2, 1);
  return Array.from({ length: count }, (_, i) => {
    // Spread over eight weeks, across the spring-forward, so windows are inside and outside.
    const now = start + Math.floor(random() * 56 * 86_400_000);
    const author = pick(USERS);
    const approvals: PolicyApproval[] = Array.from({ length: Math.floor(random() * 5) }, () => ({
      user: pick(USERS),
      teams: [pick(TEAMS), ...(random() < 0.2 ? [pick(TEAMS)] : [])],
      at: new Date(now - Math.floor(random() * 86_400_000)).toISOString(),
    }));
    const change: PolicyChange = {
      id: `cr-${i}`,
      destinationEnvironment: 'acme-prod',
      application: `app-${i % 300}`,
      author: `user:default/${author}`,
      touchesPolicies: random() < 0.05,
      blueprint: { name: 'bp-wordpress', version: `1.${i % 7}.0` },
      valuesDigest: `sha256:${i % 13}`,
      sourceEnvironment: 'acme-stg',
    };
    const facts: PolicyFacts = {
      approvals,
      soak: {
        'acme-stg':
          random() < 0.1
            ? null
            : {
                blueprint: 'bp-wordpress',
                version: change.blueprint!.version,
                valuesDigest: change.valuesDigest!,
                runningSince: new Date(now - Math.floor(random() * 6 * 86_400_000)).toISOString(),
              },
      },
      orgAdmins: ['user:default/admin'],
      freeze: random() < 0.02 ? { reason: 'incident' } : null,
    };
    return { change, facts, now: new Date(now) };
  });
}

function benchPolicy(count: number) {
  const inputs = changeRequests(count);
  for (const input of inputs.slice(0, 500)) evaluatePolicy(policy, input.change, input.facts, input.now);
  const samples: number[] = [];
  let mergeable = 0;
  const started = performance.now();
  for (const input of inputs) {
    const t0 = performance.now();
    const result = evaluatePolicy(policy, input.change, input.facts, input.now);
    samples.push(performance.now() - t0);
    if (result.mergeable) mergeable++;
  }
  const total = performance.now() - started;
  const s = stats(samples);
  out(`evaluatePolicy x${count} (pr-required + soak + Berlin change-window), ${mergeable} mergeable`);
  out(
    `  mean ${ms(s.mean)}  p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  total ${ms(total)}`,
  );
}

function benchProjection(applications: number, upgrades: number) {
  const log = generateEventLog({ seed: 3, applications, upgrades, uninstallEvery: 10 }).map(g => g.event);
  // Warm-up folds (JIT), then measured folds.
  for (let i = 0; i < 2; i++) {
    log.reduce<EnvironmentState>(
      (s, e, j) => projectWithChanges(s, e, j + 1).state,
      createEnvironmentState('acme-prod'),
    );
  }
  for (const withChanges of [false, true]) {
    let state = createEnvironmentState('acme-prod');
    let writes = 0;
    const t0 = performance.now();
    log.forEach((event, i) => {
      if (withChanges) {
        const result = projectWithChanges(state, event, i + 1);
        state = result.state;
        writes += Object.keys(result.changes.put).length + result.changes.delete.length;
      } else {
        state = project(state, event, i + 1);
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    const label = withChanges ? 'projectWithChanges (with KV change sets)' : 'project';
    const perEvent = withChanges ? `, ${(writes / log.length).toFixed(2)} KV writes/event` : '';
    out(
      `${label}: ${log.length} events, ${applications} Applications → ${Math.round(
        log.length / seconds,
      )} events/s${perEvent}`,
    );
  }
}

out(`node ${process.version}`);
benchPolicy(10_000);
benchProjection(50, 10);
benchProjection(200, 5);
