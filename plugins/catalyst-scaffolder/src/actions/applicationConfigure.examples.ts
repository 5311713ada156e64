import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description: 'Scale an installed WordPress to 3 replicas (values replace the whole configuration)',
    example: stringifyYaml({
      steps: [
        {
          id: 'configure',
          action: 'catalyst:application:configure',
          name: 'Configure marketing-site',
          input: {
            environment: 'acme-dev',
            application: 'marketing-site',
            values: {
              domain: 'www.acme.example',
              adminEmail: 'web@acme.example',
              replicas: 3,
              postgres: { mode: 'embedded' },
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Move an Application to the large overlay',
    example: stringifyYaml({
      steps: [
        {
          id: 'resize',
          action: 'catalyst:application:configure',
          name: 'Resize',
          input: { environment: 'acme-dev', application: 'marketing-site', overlay: 'large' },
        },
      ],
    }),
  },
];
