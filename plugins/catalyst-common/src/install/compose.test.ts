import catalogFixture from '../__fixtures__/install/catalog.yaml';
import cases from '../__fixtures__/install/compose-cases.yaml';
import bootstrapDev from '../__fixtures__/install/golden/bootstrap-dev.yaml';
import bootstrapProd from '../__fixtures__/install/golden/bootstrap-prod.yaml';
import bundle from '../__fixtures__/install/golden/bundle.yaml';
import helm from '../__fixtures__/install/golden/helm.yaml';
import wordpressExistingDb from '../__fixtures__/install/golden/wordpress-existing-db.yaml';
import wordpress from '../__fixtures__/install/golden/wordpress.yaml';
import { loadFixtureCatalog } from '../__fixtures__/install/loadCatalog';
import { parseCatalystDocument } from '../kinds';
import { parseYaml, parseYamlAll } from '../yaml';
import { composeEnvironmentBootstrap, composeEnvironmentFiles } from './compose';
import { resolveInstall } from './resolveInstall';
import { InstallPlan, InstallRequest } from './types';

const golden: Record<string, unknown> = {
  'wordpress.yaml': wordpress,
  'wordpress-existing-db.yaml': wordpressExistingDb,
  'bundle.yaml': bundle,
  'helm.yaml': helm,
  'bootstrap-prod.yaml': bootstrapProd,
  'bootstrap-dev.yaml': bootstrapDev,
};
const { install, bootstrap } = cases as unknown as {
  install: Array<{ name: string; golden: string; request: InstallRequest }>;
  bootstrap: Array<{
    name: string;
    golden: string;
    environment: string;
    repoUrl: string;
    policy?: unknown;
  }>;
};
const catalog = loadFixtureCatalog(catalogFixture);

function planFor(request: InstallRequest): InstallPlan {
  const r = resolveInstall(catalog, request);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}

describe('composeEnvironmentFiles', () => {
  it.each(install)('matches golden/$golden ($name)', c => {
    const r = composeEnvironmentFiles(planFor(c.request), c.request.environment, catalog);
    expect(r.ok ? r.files : r.errors).toEqual(golden[c.golden]);
  });

  it('is byte-identical for the same plan', () => {
    const plan = planFor(install[0].request);
    expect(JSON.stringify(composeEnvironmentFiles(plan, 'acme-prod', catalog))).toBe(
      JSON.stringify(composeEnvironmentFiles(JSON.parse(JSON.stringify(plan)), 'acme-prod', catalog)),
    );
  });

  it('writes application.yaml files that validate as Applications', () => {
    const r = composeEnvironmentFiles(planFor(install[2].request), 'acme-dev', catalog);
    const apps = Object.entries(r.ok ? r.files : {}).filter(([path]) => path.endsWith('/application.yaml'));
    expect(apps.map(([, text]) => parseCatalystDocument(text).ok)).toEqual([true, true, true, true]);
  });

  it('writes YAML that parses, with every substitution value a string', () => {
    const r = composeEnvironmentFiles(planFor(install[1].request), 'acme-prod', catalog);
    const files = r.ok ? r.files : {};
    const flux = parseYaml(files['flux-system/applications/blog.yaml']);
    const substitute = flux.ok
      ? (
          flux.value as {
            spec: { postBuild: { substitute: Record<string, unknown> } };
          }
        ).spec.postBuild.substitute
      : {};
    expect(Object.values(substitute).every(v => typeof v === 'string')).toBe(true);
    expect(Object.keys(substitute)).toEqual([...Object.keys(substitute)].sort());
    expect(Object.values(files).every(text => parseYamlAll(text).ok)).toBe(true);
  });

  it('lets Catalyst variables win over values of the same name', () => {
    const plan = planFor(install[0].request);
    const app = plan.applications.find(a => a.name === 'marketing-site')!;
    const tampered: InstallPlan = {
      ...plan,
      applications: [
        {
          ...app,
          values: {
            ...app.values,
            app_name: 'evil',
            organization: 'other',
            environment: 'x',
          },
        },
      ],
    };
    const r = composeEnvironmentFiles(tampered, 'acme-prod', catalog);
    const text = r.ok ? r.files['flux-system/applications/marketing-site.yaml'] : '';
    expect(text).toMatch(/ app_name: marketing-site\n/);
    expect(text).toMatch(/ organization: acme\n/);
    expect(text).toMatch(/ environment: acme-prod\n/);
  });

  it('refuses a plan for another Environment', () => {
    const r = composeEnvironmentFiles(planFor(install[0].request), 'acme-dev', catalog);
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual([['environment-mismatch', 'environment']]);
  });

  it('refuses a plan whose Blueprint version is no longer registered', () => {
    const plan = planFor(install[0].request);
    const gone: InstallPlan = {
      ...plan,
      applications: plan.applications.map(a => ({ ...a, version: '9.9.9' })),
    };
    const r = composeEnvironmentFiles(gone, 'acme-prod', catalog);
    expect(r.ok ? [] : r.errors.map(e => e.code)).toEqual(['missing-blueprint', 'missing-blueprint']);
  });

  it('refuses an Application name that would escape applications/', () => {
    const plan = planFor(install[0].request);
    const evil: InstallPlan = {
      ...plan,
      applications: [{ ...plan.applications[0], name: '../flux-system' }],
    };
    const r = composeEnvironmentFiles(evil, 'acme-prod', catalog);
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual([['path-traversal', 'applications[0].name']]);
  });

  it('pauses an Application: the annotation, and every Deployment and StatefulSet at zero replicas', () => {
    const plan = planFor(install[0].request);
    const [first, ...rest] = plan.applications;
    const running = composeEnvironmentFiles(plan, 'acme-prod', catalog);
    const paused = composeEnvironmentFiles(
      { ...plan, applications: [{ ...first, paused: true }, ...rest] },
      'acme-prod',
      catalog,
    );
    if (!running.ok || !paused.ok) throw new Error('compose failed');
    const changed = Object.keys(paused.files).filter(path => paused.files[path] !== running.files[path]);
    // Only the paused Application's two files differ; its dependency keeps running.
    expect(changed).toEqual([
      `applications/${first.name}/application.yaml`,
      `applications/${first.name}/kustomization.yaml`,
    ]);
    const app = parseCatalystDocument(paused.files[`applications/${first.name}/application.yaml`]);
    expect(app.ok && app.value.metadata.annotations).toEqual({
      'catalyst.openova.io/paused': 'true',
    });
    const kustomization = parseYaml(paused.files[`applications/${first.name}/kustomization.yaml`]) as {
      ok: true;
      value: { patches: Array<{ target: unknown; patch: string }> };
    };
    expect(
      kustomization.value.patches.map(p => [p.target, (parseYaml(p.patch) as { ok: true; value: unknown }).value]),
    ).toEqual([
      [{ kind: 'Deployment' }, [{ op: 'add', path: '/spec/replicas', value: 0 }]],
      [{ kind: 'StatefulSet' }, [{ op: 'add', path: '/spec/replicas', value: 0 }]],
    ]);
  });

  it('refuses to pause an Application of a HelmChart Blueprint', () => {
    const helmCase = install.find(c => c.golden === 'helm.yaml')!;
    const plan = planFor(helmCase.request);
    const r = composeEnvironmentFiles(
      { ...plan, applications: plan.applications.map(a => ({ ...a, paused: true })) },
      helmCase.request.environment,
      catalog,
    );
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual([['pause-unsupported', 'applications[0].paused']]);
  });
});

describe('composeEnvironmentBootstrap', () => {
  it.each(bootstrap)('matches golden/$golden ($name)', c => {
    const r = composeEnvironmentBootstrap(c.environment, c.repoUrl, c.policy);
    expect(r.ok ? r.files : r.errors).toEqual(golden[c.golden]);
  });

  it.each([
    ['acme-staging', 'https://git.example.org/a.git', undefined, 'invalid-env-type', 'environment'],
    ['acme-prod', 'https://git.example.org/a.git\n  evil: true', undefined, 'invalid-url', 'repoUrl'],
    ['acme-prod', 'mailto:ops@acme.example', undefined, 'invalid-url', 'repoUrl'],
    ['acme-prod', 'https://git.example.org/a.git', { kind: 'EnvironmentPolicy' }, 'required', 'policy.apiVersion'],
  ])('refuses %p / %p', (env, url, policy, code, path) => {
    const r = composeEnvironmentBootstrap(env, url, policy);
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual(expect.arrayContaining([[code, path]]));
  });

  it('refuses a policy that does not govern the Environment', () => {
    const policy = bootstrap[0].policy;
    const r = composeEnvironmentBootstrap('acme-stg', 'https://git.example.org/a.git', policy);
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual([
      ['policy-mismatch', 'policy.spec.appliesTo.environments'],
    ]);
  });
});
