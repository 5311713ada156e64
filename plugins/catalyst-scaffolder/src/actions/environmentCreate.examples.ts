import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description: 'Create acme-uat, medium placement, changes approved by team-security and soaked a day in acme-stg',
    example: stringifyYaml({
      steps: [
        {
          id: 'environment',
          action: 'catalyst:environment:create',
          name: 'Create acme-uat',
          input: {
            organization: 'acme',
            envType: 'uat',
            placement: { preset: 'medium' },
            policyRules: [
              { kind: 'pr-required', approvers: ['team-security'] },
              { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
            ],
          },
        },
      ],
    }),
  },
  {
    description: 'Create an ungoverned proof-of-concept Environment',
    example: stringifyYaml({
      steps: [
        {
          id: 'environment',
          action: 'catalyst:environment:create',
          name: 'Create acme-poc',
          input: { organization: 'acme', envType: 'poc' },
        },
      ],
    }),
  },
];
