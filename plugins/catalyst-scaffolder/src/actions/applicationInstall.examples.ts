import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description:
      'Install WordPress with an embedded database: one commit with marketing-site and marketing-site-postgres (dependsOn edge)',
    example: stringifyYaml({
      steps: [
        {
          id: 'install',
          action: 'catalyst:application:install',
          name: 'Install WordPress',
          input: {
            environment: 'acme-dev',
            application: 'marketing-site',
            blueprint: 'bp-wordpress',
            values: {
              domain: 'www.acme.example',
              adminEmail: 'web@acme.example',
              postgres: { mode: 'embedded' },
            },
            dependencies: { db: { use: 'new' } },
          },
        },
      ],
    }),
  },
  {
    description:
      'Install PostgreSQL once, then WordPress wired to it (reference mode: one more Application, no new database)',
    example: stringifyYaml({
      steps: [
        {
          id: 'database',
          action: 'catalyst:application:install',
          name: 'Install a shared PostgreSQL',
          input: {
            environment: 'acme-dev',
            application: 'shared-postgres',
            blueprint: 'bp-postgres',
            overlay: 'medium',
          },
        },
        {
          id: 'cms',
          action: 'catalyst:application:install',
          name: 'Install WordPress on it',
          input: {
            environment: 'acme-dev',
            application: 'news',
            blueprint: 'bp-wordpress',
            version: '^1.4',
            values: {
              domain: 'news.acme.example',
              adminEmail: 'web@acme.example',
              postgres: { mode: 'external', ref: 'shared-postgres' },
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Install the Web Starter Bundle: one Application per component, in one commit',
    example: stringifyYaml({
      steps: [
        {
          id: 'bundle',
          action: 'catalyst:application:install',
          name: 'Install the bundle',
          input: {
            environment: 'acme-stg',
            application: 'starter',
            blueprint: 'bp-bundle-starter',
            values: { domain: 'starter.acme.example', adminEmail: 'web@acme.example', siteTitle: 'ACME' },
          },
        },
      ],
    }),
  },
];
