import { deployment, Doc, kustomizeFiles, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function echo(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '0.1.0', image: '0.2.3', notes: 'HTTP echo server.' },
    { version: '0.2.0', image: '1.0.0', notes: 'Configurable `text`.', upgrades: { from: ['0.1.x'] } },
  ];
  return {
    name: 'bp-echo',
    repo: 'catalog',
    versions: versions.map(v => {
      const spec: Doc = {
        card: {
          title: 'Echo',
          tagline: 'An HTTP echo server for connectivity checks',
          category: 'tools',
          tags: ['debug', 'http'],
          license: 'MIT',
          documentation: 'https://github.com/hashicorp/http-echo',
        },
        // Not on the card grid: platform teams install it by name when debugging networking.
        visibility: 'unlisted',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: {
          type: 'object',
          properties: {
            text: { type: 'string', default: 'hello from Catalyst', maxLength: 200 },
            image: imageTag(v.image),
          },
        },
        placementSchema: { modes: ['single-region'], minRegions: 1, maxRegions: 1 },
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 1 }, large: { replicas: 3 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-echo', v.version, spec),
          'README.md': readme('Echo', 'Answers every HTTP request with a fixed text.', versions, v.version),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'echo',
                  image: 'hashicorp/http-echo:${image_tag}',
                  port: 5678,
                  args: ['-listen=:5678', '-text=${text}'],
                }),
              ],
              'service.yaml': [service('echo', 80)],
            },
            'echo',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
