import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint, EntityProvider } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalystScaffolderFeatures, { catalystScaffolderModule, catalystTemplatesCatalogModule } from '.';

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

describe('catalyst scaffolder features', () => {
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

  it('the default export adds the scaffolder module and the Template provider together', async () => {
    const providers: EntityProvider[] = [];
    // Stands in for the catalog plugin: only its processing extension point, which collects providers.
    // (A feature loader's modules cannot be matched to startTestBackend's `extensionPoints`.)
    const catalogStandIn = createBackendPlugin({
      pluginId: 'catalog',
      register(env) {
        env.registerExtensionPoint(catalogProcessingExtensionPoint, {
          addEntityProvider: (...p: Array<EntityProvider | EntityProvider[]>) => providers.push(...p.flat()),
          addProcessor: () => undefined,
          addPlaceholderResolver: () => undefined,
          setOnProcessingErrorHandler: () => undefined,
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [scaffolderPlugin, catalogStandIn, catalystScaffolderFeatures, catalogServiceMock.factory()],
    });
    try {
      expect((await listActions(backend.server.port())).filter(a => a.id.startsWith('catalyst:'))).toHaveLength(6);
    } finally {
      await backend.stop();
    }
    expect(providers.map(p => p.getProviderName())).toEqual(['catalyst-templates']);
  });

  it('the catalog module schedules the provider every few seconds', async () => {
    const scheduler = mockServices.scheduler.mock();
    const runner = { run: jest.fn() };
    scheduler.createScheduledTaskRunner.mockReturnValue(runner);
    const providers: EntityProvider[] = [];
    await startTestBackend({
      features: [catalystTemplatesCatalogModule, scheduler.factory],
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (...p: Array<EntityProvider | EntityProvider[]>) => providers.push(...p.flat()),
            addProcessor: () => undefined,
            addPlaceholderResolver: () => undefined,
            setOnProcessingErrorHandler: () => undefined,
          },
        ],
      ],
    });
    expect(providers).toHaveLength(1);
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith(
      expect.objectContaining({ frequency: { seconds: 5 }, scope: 'local' }),
    );
    expect(runner.run).toHaveBeenCalledWith(expect.objectContaining({ id: 'catalyst-template-provider' }));
  });
});
