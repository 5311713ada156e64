import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description:
      'Copy marketing-site from acme-dev to acme-stg: acme-stg is not governed, so the copy is one commit on its main with the version and values that run in acme-dev',
    example: stringifyYaml({
      steps: [
        {
          id: 'promote',
          action: 'catalyst:application:promote',
          name: 'Copy to staging',
          input: { environment: 'acme-dev', application: 'marketing-site', targetEnvironment: 'acme-stg' },
        },
      ],
    }),
  },
  {
    description:
      "Promote marketing-site from acme-stg to acme-prod: acme-prod's EnvironmentPolicy governs it, so the step opens a change request (output `changeRequest`, `changeRequestUrl`) that merges once its approvals, soak and change window pass",
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
