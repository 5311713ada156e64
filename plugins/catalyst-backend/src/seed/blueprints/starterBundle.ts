import { gte } from 'semver';
import { Doc } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, SeedBlueprint } from './shared';

export function starterBundle(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.0.0', image: '', notes: 'WordPress with its database and a landing page.' },
    { version: '1.1.0', image: '', notes: 'Adds a Redis cache.', upgrades: { from: ['1.0.x'] } },
  ];
  return {
    name: 'bp-bundle-starter',
    repo: 'catalog',
    versions: versions.map(v => {
      const depends: Doc[] = [
        {
          blueprint: 'bp-wordpress',
          version: gte(v.version, '1.1.0') ? '^1.3' : '^1.2',
          alias: 'cms',
          values: {
            domain: 'blog.{{ .config.domain }}',
            adminEmail: '{{ .config.adminEmail }}',
            postgres: { mode: 'embedded' },
          },
        },
        {
          blueprint: 'bp-static-site',
          version: '^1.1',
          alias: 'landing',
          values: { domain: '{{ .config.domain }}', title: '{{ .config.siteTitle }}' },
        },
      ];
      if (gte(v.version, '1.1.0')) depends.push({ blueprint: 'bp-redis', version: '^1.1', alias: 'cache' });
      const spec: Doc = {
        card: {
          title: 'Web Starter Bundle',
          tagline: 'A site, a blog and everything they need, in one install',
          category: 'composite',
          tags: ['bundle', 'cms', 'web'],
          icon: './card/icon.svg',
          license: 'Apache-2.0',
          documentation: 'https://wordpress.org/documentation/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: {
          type: 'object',
          required: ['domain', 'adminEmail'],
          properties: {
            domain: { type: 'string', format: 'hostname', 'x-catalyst-ui-hint': 'domain-picker' },
            adminEmail: { type: 'string', format: 'email' },
            siteTitle: { type: 'string', default: 'Welcome', maxLength: 80 },
          },
        },
        placementSchema: { modes: ['single-region'], minRegions: 1, maxRegions: 1 },
        depends,
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-bundle-starter', v.version, spec),
          'README.md': readme(
            'Web Starter Bundle',
            'Installs a landing page (bp-static-site), a WordPress blog on `blog.<domain>` with an embedded PostgreSQL, and from 1.1.0 a Redis cache — each its own Application.',
            versions,
            v.version,
          ),
          'card/icon.svg': icon('B', '#6a1b9a'),
        },
      };
    }),
  };
}
