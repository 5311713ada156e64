import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { CatalogProcessor, catalogProcessingExtensionPoint, EntityProvider } from '@backstage/plugin-catalog-node';
import catalogModuleCatalyst from '.';

describe('the catalog module', () => {
  it('adds the Catalyst kinds, the entity provider and the Template provider, each polled every few seconds', async () => {
    const scheduler = mockServices.scheduler.mock();
    const runners = [{ run: jest.fn() }, { run: jest.fn() }];
    scheduler.createScheduledTaskRunner.mockReturnValueOnce(runners[0]).mockReturnValueOnce(runners[1]);
    const providers: EntityProvider[] = [];
    const processors: CatalogProcessor[] = [];
    await startTestBackend({
      features: [catalogModuleCatalyst, scheduler.factory],
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (...p: Array<EntityProvider | EntityProvider[]>) => providers.push(...p.flat()),
            addProcessor: (...p: Array<CatalogProcessor | CatalogProcessor[]>) => processors.push(...p.flat()),
            addPlaceholderResolver: () => undefined,
            setOnProcessingErrorHandler: () => undefined,
          },
        ],
      ],
    });
    expect(providers.map(p => p.getProviderName())).toEqual(['catalyst', 'catalyst-templates']);
    expect(processors.map(p => p.getProcessorName())).toEqual(['CatalystEntitiesProcessor']);
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledTimes(2);
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith(
      expect.objectContaining({ frequency: { seconds: 5 }, scope: 'local' }),
    );
    expect(runners[0].run).toHaveBeenCalledWith(expect.objectContaining({ id: 'catalyst-entity-provider' }));
    expect(runners[1].run).toHaveBeenCalledWith(expect.objectContaining({ id: 'catalyst-template-provider' }));
  });
});
