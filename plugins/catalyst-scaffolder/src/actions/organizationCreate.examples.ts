import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description: 'Onboard the Organization globex with two teams (sovereign-admin only)',
    example: stringifyYaml({
      steps: [
        {
          id: 'organization',
          action: 'catalyst:organization:create',
          name: 'Create globex',
          input: { name: 'globex', displayName: 'Globex Corporation', teams: ['team-web', 'team-data'] },
        },
      ],
    }),
  },
];
