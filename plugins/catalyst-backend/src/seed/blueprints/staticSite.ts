import { gte } from 'semver';
import { configMap, deployment, Doc, ingress, kustomizeFiles, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function staticSite(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.0.0', image: '1.26-alpine', notes: 'nginx 1.26.' },
    {
      version: '1.1.0',
      image: '1.27-alpine',
      notes: 'nginx 1.27; `title` shown on the page.',
      upgrades: { from: ['1.0.x'] },
    },
    {
      version: '1.2.0',
      image: '1.27-alpine',
      notes: 'Custom `message` on the page.',
      upgrades: { from: ['1.0.x', '1.1.x'] },
    },
  ];
  return {
    name: 'bp-static-site',
    repo: 'catalog',
    versions: versions.map(v => {
      const properties: Doc = {
        domain: { type: 'string', format: 'hostname', 'x-catalyst-ui-hint': 'domain-picker' },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
        image: imageTag(v.image),
      };
      if (gte(v.version, '1.1.0')) properties.title = { type: 'string', default: 'Hello from Catalyst', maxLength: 80 };
      if (gte(v.version, '1.2.0')) properties.message = { type: 'string', default: 'It works.', maxLength: 500 };
      let page = '<html><body><h1>${app_name}</h1></body></html>\n';
      if (gte(v.version, '1.1.0'))
        page = '<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n';
      if (gte(v.version, '1.2.0')) {
        page = '<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>\n';
      }
      const spec: Doc = {
        card: {
          title: 'Static website',
          tagline: 'nginx serving a static page',
          category: 'web',
          tags: ['web', 'nginx', 'static'],
          icon: './card/icon.svg',
          license: 'BSD-2-Clause',
          documentation: 'https://nginx.org/en/docs/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: { type: 'object', required: ['domain'], properties },
        placementSchema: { modes: ['single-region', 'active-active'], minRegions: 1, maxRegions: 3 },
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 2 }, large: { replicas: 4 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        observability: { logs: 'stdout' },
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-static-site', v.version, spec),
          'README.md': readme(
            'Static website',
            'nginx serving one page. Setting `image.tag` to a tag ending in `-crashloop` makes the devcluster crash-loop the pod (a failure drill).',
            versions,
            v.version,
          ),
          'card/icon.svg': icon('S', '#009639'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'web',
                  image: 'nginxinc/nginx-unprivileged:${image_tag}',
                  port: 8080,
                  readinessPath: '/',
                  replicas: '${replicas}',
                  volumeMounts: [{ name: 'content', mountPath: '/usr/share/nginx/html' }],
                  volumes: [{ name: 'content', configMap: { name: 'content' } }],
                }),
              ],
              'content.yaml': [configMap('content', { 'index.html': page })],
              'service.yaml': [service('web', 80)],
              'ingress.yaml': [ingress('web', 'http')],
            },
            'web',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
