import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringifyYaml } from '@internal/plugin-catalyst-common';

export const examples: TemplateExample[] = [
  {
    description: 'Onboard the Organization initech with two teams (sovereign-admin only)',
    example: stringifyYaml({
      steps: [
        {
          id: 'organization',
          action: 'catalyst:organization:create',
          name: 'Create initech',
          input: { name: 'initech', displayName: 'Initech', teams: ['team-web', 'team-data'] },
        },
      ],
    }),
  },
];
