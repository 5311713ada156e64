/**
 * resolveInstall + composeEnvironmentFiles over a generated 50-Blueprint dependency graph.
 * Not a test (timings are never assertions): it prints figures for bench/README.md.
 * Run from the repo root: node_modules/.bin/sucrase-node bench/resolve-compose.bench.ts
 */
import { BlueprintVersionInput, InMemoryBlueprintCatalog } from '../plugins/catalyst-common/src/blueprint';
import { InstallRequest, composeEnvironmentFiles, resolveInstall } from '../plugins/catalyst-common/src/install';

const BLUEPRINTS = 50;
const VERSIONS = ['1.0.0', '1.1.0', '1.2.0'];
const WARMUP = 30;
const RUNS = 300;

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Deterministic PRNG so every run measures the same graph. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * bp-g-0 … bp-g-49, each depending on up to three higher-numbered Blueprints (a DAG with many shared
 * dependencies), every fifth edge conditional, values templated from the dependent's config.
 */
function generateCatalog(): InMemoryBlueprintCatalog {
  const random = mulberry32(50);
  const inputs: BlueprintVersionInput[] = [];
  const files = {
    'manifests/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
    'manifests/base/deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: \${replicas:=1}\n${'  # padding\n'.repeat(
      40,
    )}`,
    'manifests/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n',
    'manifests/overlays/small/kustomization.yaml': 'kind: Component\n',
    'manifests/overlays/medium/kustomization.yaml': 'kind: Component\n',
  };
  const depsOf: number[][] = [];
  for (let i = 0; i < BLUEPRINTS; i++) {
    const deps = new Set<number>();
    // i → i+1 keeps all 50 reachable from bp-g-0; up to two more edges make diamonds.
    if (i + 1 < BLUEPRINTS) deps.add(i + 1);
    const extra = Math.floor(random() * 3);
    for (let k = 0; k < extra && i + 2 < BLUEPRINTS; k++) {
      deps.add(i + 2 + Math.floor(random() * Math.min(10, BLUEPRINTS - i - 2)));
    }
    depsOf.push([...deps].sort((a, b) => a - b));
  }
  for (let i = 0; i < BLUEPRINTS; i++) {
    for (const version of VERSIONS) {
      inputs.push({
        source: 'catalog',
        files,
        tag: `bp-g-${i}/v${version}`,
        blueprint: {
          apiVersion: 'catalyst.openova.io/v1alpha1',
          kind: 'Blueprint',
          metadata: { name: `bp-g-${i}`, version },
          spec: {
            card: { title: `G${i}`, category: 'tools' },
            configSchema: {
              type: 'object',
              properties: {
                replicas: { type: 'integer', minimum: 1, maximum: 20, default: 2 },
                tier: { type: 'string', enum: ['gold', 'silver'], default: 'gold' },
                owners: { type: 'array', items: { type: 'string' }, default: [] },
                image: { type: 'object', default: {}, properties: { tag: { type: 'string', default: version } } },
              },
            },
            depends: depsOf[i].map((d, k) => ({
              blueprint: `bp-g-${d}`,
              version: '^1.0',
              alias: `dep${k}`,
              ...(k === 2 ? { when: "{{ .config.tier == 'gold' }}" } : {}),
              values: { owners: ['{{ .application.name }}'] },
            })),
            manifests: {
              source: { kind: 'Kustomize' },
              overlays: { small: { replicas: 1 }, medium: { replicas: 2 } },
            },
          },
        },
      });
    }
  }
  const built = InMemoryBlueprintCatalog.fromVersions(inputs);
  if (!built.ok) throw new Error(JSON.stringify(built.errors.slice(0, 5), null, 2));
  return built.catalog;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { mean, p50: at(0.5), p95: at(0.95) };
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

function measure(name: string, run: () => void): void {
  for (let i = 0; i < WARMUP; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  const s = stats(samples);
  out(`${name}: mean ${ms(s.mean)}, p50 ${ms(s.p50)}, p95 ${ms(s.p95)} (${RUNS} runs)`);
}

const registrationStart = performance.now();
const catalog = generateCatalog();
out(
  `catalog: ${BLUEPRINTS} Blueprints x ${
    VERSIONS.length
  } versions registered (validated, configSchema compiled) in ${ms(performance.now() - registrationStart)}`,
);

const request: InstallRequest = {
  environment: 'acme-prod',
  application: 'big',
  blueprint: 'bp-g-0',
  values: { tier: 'gold' },
};
const first = resolveInstall(catalog, request);
if (!first.ok) throw new Error(JSON.stringify(first.errors.slice(0, 5), null, 2));
const { plan } = first;
const composed = composeEnvironmentFiles(plan, 'acme-prod', catalog);
if (!composed.ok) throw new Error(JSON.stringify(composed.errors.slice(0, 5), null, 2));
out(
  `plan: ${plan.applications.length} Applications, ${plan.edges.length} edges, ${plan.skipped.length} skipped; ` +
    `compose writes ${Object.keys(composed.files).length} files`,
);

measure('resolveInstall', () => {
  resolveInstall(catalog, request);
});
measure('composeEnvironmentFiles', () => {
  composeEnvironmentFiles(plan, 'acme-prod', catalog);
});
measure('resolve + compose', () => {
  const r = resolveInstall(catalog, request);
  if (r.ok) composeEnvironmentFiles(r.plan, 'acme-prod', catalog);
});
