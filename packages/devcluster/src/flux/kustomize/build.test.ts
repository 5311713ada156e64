import { KubeObject } from '../../types';
import { blueprintFiles } from '../../__testUtils__/fixtures';
import { kustomizeBuild } from './build';
import { VirtualFs } from './VirtualFs';

function build(files: Record<string, string>, path = 'app', overlay = {}) {
  return kustomizeBuild(VirtualFs.fromText(files), path, overlay);
}

function objects(files: Record<string, string>, path = 'app', overlay = {}): KubeObject[] {
  const result = build(files, path, overlay);
  if (!result.ok) throw new Error(result.message);
  return result.objects;
}

function find(list: KubeObject[], kind: string, name?: string): any {
  const found = list.find(o => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found)
    throw new Error(`no ${kind} ${name ?? ''} in ${list.map(o => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

const deployment = (name = 'web', image = 'nginx:1.27') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: main
          image: ${image}
          env:
            - { name: A, value: "1" }
        - name: sidecar
          image: busybox
`;

describe('kustomizeBuild', () => {
  it('builds the contract layout: base resources, a Component overlay and label pairs', () => {
    const files = {
      ...blueprintFiles('app/blueprint'),
      'app/kustomization.yaml': `
resources: [blueprint/base]
components: [blueprint/overlays/medium]
labels:
  - includeSelectors: false
    pairs: { catalyst.openova.io/application: web }
`,
    };
    const list = objects(files);
    expect(list.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/${app_name}', 'Service/${app_name}']);
    const d = find(list, 'Deployment');
    // JSON 6902 replace from the Component, strategic merge of the container by name.
    expect(d.spec.replicas).toBe('${replicas:=2}');
    expect(d.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'web', resources: { requests: { cpu: '50m' }, limits: { memory: '256Mi' } } }),
    ]);
    expect(d.metadata.labels['catalyst.openova.io/application']).toBe('web');
    // includeSelectors: false keeps selectors and templates as they are.
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
    expect(d.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web' });
  });

  it.each([
    ['commonLabels', 'commonLabels: { team: a }', true, true],
    ['labels with includeSelectors', 'labels: [{ pairs: { team: a }, includeSelectors: true }]', true, true],
    ['labels with includeTemplates', 'labels: [{ pairs: { team: a }, includeTemplates: true }]', false, true],
    ['plain labels', 'labels: [{ pairs: { team: a } }]', false, false],
  ])('%s reach selectors: %s, templates: %s', (_name, field, selectors, templates) => {
    const list = objects({
      'app/kustomization.yaml': `resources: [d.yaml, s.yaml]\n${field}\n`,
      'app/d.yaml': deployment(),
      'app/s.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web } }\n',
    });
    const d = find(list, 'Deployment');
    expect(d.metadata.labels.team).toBe('a');
    expect(d.spec.selector.matchLabels.team).toBe(selectors ? 'a' : undefined);
    expect(d.spec.template.metadata.labels.team).toBe(templates ? 'a' : undefined);
    expect(find(list, 'Service').spec.selector.team).toBe(selectors ? 'a' : undefined);
  });

  it('applies namePrefix, namespace, images and replicas, and follows renamed references', () => {
    const list = objects({
      'app/kustomization.yaml': `
resources: [d.yaml, cm.yaml]
namePrefix: acme-
namespace: shop
images:
  - { name: nginx, newTag: "1.28" }
  - { name: busybox, newName: registry.example.invalid/busybox, digest: "sha256:abc" }
replicas:
  - { name: acme-web, count: 4 }
`,
      'app/d.yaml':
        `${deployment()}      volumes:\n        - name: conf\n          configMap: { name: conf }\n`.replace(
          '        - name: sidecar',
          '          envFrom:\n            - configMapRef: { name: conf }\n        - name: sidecar',
        ),
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: conf }\ndata: { a: b }\n',
    });
    const d = find(list, 'Deployment', 'acme-web');
    expect(d.metadata.namespace).toBe('shop');
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      'nginx:1.28',
      'registry.example.invalid/busybox@sha256:abc',
    ]);
    expect(d.spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe('acme-conf');
    expect(d.spec.template.spec.volumes[0].configMap.name).toBe('acme-conf');
  });

  it('generates ConfigMaps with a content hash suffix unless disabled, and points references at them', () => {
    const files = {
      'app/kustomization.yaml': `
resources: [d.yaml]
configMapGenerator:
  - name: settings
    literals: [MODE=prod, "QUOTED='x'"]
    files: [values.yaml, renamed.txt=other.txt]
  - name: plain
    literals: [A=1]
    options: { disableNameSuffixHash: true }
`,
      'app/values.yaml': 'replicas: 2\n',
      'app/other.txt': 'hello',
      'app/d.yaml': `${deployment()}      volumes:\n        - name: s\n          configMap: { name: settings }\n`,
    };
    const list = objects(files);
    const settings = list.find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('settings-'))!;
    expect(settings.metadata.name).toMatch(/^settings-[a-z0-9]{10}$/);
    expect(settings.data).toEqual({
      MODE: 'prod',
      QUOTED: 'x',
      'values.yaml': 'replicas: 2\n',
      'renamed.txt': 'hello',
    });
    expect(find(list, 'ConfigMap', 'plain').data).toEqual({ A: '1' });
    expect(find(list, 'Deployment').spec.template.spec.volumes[0].configMap.name).toBe(settings.metadata.name);

    // The suffix follows the content.
    const changed = objects({ ...files, 'app/values.yaml': 'replicas: 3\n' });
    const renamed = changed.find(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('settings-'))!;
    expect(renamed.metadata.name).not.toBe(settings.metadata.name);
  });

  it('applies strategic-merge patches: containers merge by name, null deletes, $patch: delete removes', () => {
    const list = objects({
      'app/kustomization.yaml': `
resources: [d.yaml, extra.yaml]
patches:
  - path: patch.yaml
  - patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: extra }
      $patch: delete
`,
      'app/d.yaml': deployment(),
      'app/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n',
      'app/patch.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: main
          env:
            - { name: B, value: "2" }
        - name: added
          image: redis
      $retainKeys: [containers]
  selector:
    matchLabels:
      app: web
`,
    });
    expect(list.map(o => o.kind)).toEqual(['Deployment']);
    const containers = find(list, 'Deployment').spec.template.spec.containers;
    expect(containers.map((c: { name: string }) => c.name)).toEqual(['main', 'sidecar', 'added']);
    expect(containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(containers[0].image).toBe('nginx:1.27');
  });

  it('applies JSON 6902 add, replace and remove to targets selected by kind, name regex and labels', () => {
    const list = objects({
      'app/kustomization.yaml': `
resources: [a.yaml, b.yaml]
patches:
  - target: { kind: Deployment, name: "web-.*", labelSelector: "tier=front" }
    patch: |
      - { op: add, path: /spec/template/spec/containers/0/args, value: ["--fast"] }
      - { op: replace, path: /spec/template/spec/containers/0/image, value: "nginx:2" }
      - { op: remove, path: /spec/template/spec/containers/1 }
      - { op: add, path: /metadata/annotations, value: { a~b/c: "1" } }
`,
      'app/a.yaml': deployment('web-a').replace('name: web-a\n', 'name: web-a\n  labels: { tier: front }\n'),
      'app/b.yaml': deployment('web-b'),
    });
    const a = find(list, 'Deployment', 'web-a');
    expect(a.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'main', image: 'nginx:2', args: ['--fast'] }),
    ]);
    expect(a.metadata.annotations).toEqual({ 'a~b/c': '1' });
    expect(find(list, 'Deployment', 'web-b').spec.template.spec.containers).toHaveLength(2);
  });

  it("takes every manifest of a directory without kustomization.yaml (Flux's generated kustomization)", () => {
    const list = objects(
      {
        'flux-system/applications/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n',
        'flux-system/applications/a.yml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: a2 }\n',
        'flux-system/applications/notes.yaml': 'just: data\n',
        'flux-system/applications/README.md': '# not yaml',
        'flux-system/applications/nested/kustomization.yaml': 'resources: [c.yaml]\nnamePrefix: n-\n',
        'flux-system/applications/nested/c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n',
      },
      'flux-system/applications',
    );
    expect(list.map(o => o.metadata.name)).toEqual(['a', 'a2', 'b', 'n-c']);
  });

  it("adds the Flux Kustomization's targetNamespace, patches and commonMetadata on top", () => {
    const list = objects(
      { 'app/d.yaml': deployment(), 'app/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: other }\n' },
      'app',
      {
        targetNamespace: 'web',
        commonMetadata: { labels: { owner: 'team-a' } },
        patches: [{ target: { kind: 'Deployment' }, patch: '- { op: add, path: /spec/paused, value: true }' }],
      },
    );
    const d = find(list, 'Deployment');
    expect(d.metadata.namespace).toBe('web');
    expect(d.metadata.labels.owner).toBe('team-a');
    expect(d.spec.paused).toBe(true);
    expect(find(list, 'Namespace').metadata.namespace).toBeUndefined();
  });

  it.each([
    [
      'a missing resource file',
      { 'app/kustomization.yaml': 'resources: [missing.yaml]\n' },
      "app/kustomization.yaml: resource 'missing.yaml': no such file or directory (app/missing.yaml)",
    ],
    [
      'bad YAML in a manifest',
      { 'app/kustomization.yaml': 'resources: [d.yaml]\n', 'app/d.yaml': 'apiVersion: v1\nkind: [unclosed\n' },
      'app/d.yaml: YAML parse error',
    ],
    [
      'an unknown kustomization field',
      { 'app/kustomization.yaml': 'resources: []\nresourcez: [d.yaml]\n' },
      'app/kustomization.yaml: invalid Kustomization: json: unknown field "resourcez"',
    ],
    [
      'a kustomize feature the devcluster does not implement',
      { 'app/kustomization.yaml': 'helmCharts: []\n' },
      "app/kustomization.yaml: kustomize field 'helmCharts' is not supported by the devcluster",
    ],
    [
      'a Kustomization listed as a component',
      { 'app/kustomization.yaml': 'components: [c]\n', 'app/c/kustomization.yaml': 'resources: []\n' },
      "app/c/kustomization.yaml: expected kind 'Component'",
    ],
    [
      'a manifest without a name',
      {
        'app/kustomization.yaml': 'resources: [d.yaml]\n',
        'app/d.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
      },
      'app/d.yaml: document 1 (ConfigMap) has no metadata.name',
    ],
    [
      'the same object twice',
      {
        'app/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
        'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
        'app/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
      },
      'app/b.yaml: may not add resource with an already registered id: ConfigMap.v1/x.[noNs]',
    ],
    [
      'a path outside the repository',
      { 'app/kustomization.yaml': 'resources: [../../etc/passwd]\n' },
      "app/kustomization.yaml: resource '../../etc/passwd': security; file is not in or below the repository root",
    ],
    [
      'a remote base',
      { 'app/kustomization.yaml': 'resources: [https://example.invalid/base]\n' },
      'remote resources are not supported',
    ],
    [
      'a patch without a unique target',
      {
        'app/kustomization.yaml':
          'patches: [{ patch: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: { name: nope }\\n" }]\n',
      },
      'failed to find unique target for patch Deployment/nope',
    ],
    [
      'a JSON patch on a missing path',
      {
        'app/kustomization.yaml':
          'resources: [cm.yaml]\npatches: [{ target: { kind: ConfigMap }, patch: "- { op: replace, path: /data/x, value: y }" }]\n',
        'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n',
      },
      'JSON patch on ConfigMap.v1/c.[noNs] failed',
    ],
    [
      'a generator file that does not exist',
      { 'app/kustomization.yaml': 'configMapGenerator: [{ name: v, files: [values.yaml] }]\n' },
      "app/kustomization.yaml: v: file 'values.yaml' not found",
    ],
  ])('fails on %s, naming the file', (_what, files, message) => {
    const result = build(files as Record<string, string>);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});
