import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description:
      'Promote marketing-site from acme-stg to acme-prod. Not available in this version: the step fails with an explanation and writes nothing.',
    example: stringifyYaml({
      steps: [
        {
          id: 'promote',
          action: 'catalyst:application:promote',
          name: 'Promote to production',
          input: { environment: 'acme-stg', application: 'marketing-site', targetEnvironment: 'acme-prod' },
        },
      ],
    }),
  },
];
