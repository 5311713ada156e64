import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalystScaffolderModule from '.';

const CATALYST_ACTIONS = [
  'catalyst:application:configure',
  'catalyst:application:install',
  'catalyst:application:plan',
  'catalyst:application:promote',
  'catalyst:environment:create',
  'catalyst:organization:create',
];

interface ListedAction {
  id: string;
  description?: string;
  examples?: unknown[];
  schema?: {
    input?: { required?: string[]; properties?: Record<string, unknown> };
    output?: { properties?: Record<string, unknown> };
  };
}

async function listActions(port: number): Promise<ListedAction[]> {
  const res = await fetch(`http://localhost:${port}/api/scaffolder/v2/actions`, {
    headers: { Authorization: mockCredentials.user.header() },
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('the catalyst scaffolder module', () => {
  it('registers every catalyst:* action with the scaffolder, with JSON Schemas made from zod and examples', async () => {
    const backend = await startTestBackend({
      features: [scaffolderPlugin, catalystScaffolderModule, catalogServiceMock.factory()],
    });
    try {
      const actions = (await listActions(backend.server.port())).filter(a => a.id.startsWith('catalyst:'));
      expect(actions.map(a => a.id).sort()).toEqual(CATALYST_ACTIONS);
      const install = actions.find(a => a.id === 'catalyst:application:install')!;
      expect(install.schema?.input?.required?.sort()).toEqual(['application', 'blueprint', 'environment']);
      expect(Object.keys(install.schema?.output?.properties ?? {})).toEqual(
        expect.arrayContaining(['commit', 'applications', 'plan', 'links', 'entityRef']),
      );
      for (const action of actions) expect(action.examples?.length).toBeGreaterThan(0);
    } finally {
      await backend.stop();
    }
  });
});
