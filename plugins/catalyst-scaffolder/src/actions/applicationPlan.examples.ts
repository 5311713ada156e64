import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description: 'Plan WordPress with an embedded PostgreSQL (a new Application blog-postgres) in acme-dev',
    example: stringifyYaml({
      steps: [
        {
          id: 'plan',
          action: 'catalyst:application:plan',
          name: 'Plan the install',
          input: {
            environment: 'acme-dev',
            application: 'blog',
            blueprint: 'bp-wordpress',
            overlay: 'small',
            values: { domain: 'blog.acme.example', adminEmail: 'web@acme.example', postgres: { mode: 'embedded' } },
            dependencies: { db: { use: 'new' } },
          },
        },
      ],
    }),
  },
  {
    description: 'Plan a pinned older version with parameters from the template form',
    example: stringifyYaml({
      steps: [
        {
          id: 'plan',
          action: 'catalyst:application:plan',
          name: 'Plan the install',
          input: {
            environment: '${{ parameters.environment }}',
            application: '${{ parameters.name }}',
            blueprint: 'bp-static-site',
            version: '1.1.0',
            values: '${{ parameters.values }}',
          },
        },
      ],
    }),
  },
];
