import { blueprintEntity, devEnvironment, siteApplication, staticSiteDetail } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintCompareContent, BlueprintOverviewContent } from './BlueprintPages';

describe('Blueprint entity contents', () => {
  it('shows progress while the Blueprint loads', async () => {
    const api = fakeCatalystApi({ getBlueprint: pending });
    const { getByTestId } = await renderCatalyst(<BlueprintOverviewContent />, { api, entity: blueprintEntity });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error of a Blueprint that cannot be read', async () => {
    const api = fakeCatalystApi({
      getBlueprint: () => Promise.reject(new Error('Blueprint bp-static-site does not exist')),
    });
    const { findAllByText } = await renderCatalyst(<BlueprintCompareContent />, { api, entity: blueprintEntity });
    expect((await findAllByText(/does not exist/))[0]).toBeInTheDocument();
  });

  it('loads the public Blueprint the entity names and shows its overview', async () => {
    const api = fakeCatalystApi({
      getBlueprint: async () => staticSiteDetail,
      getBlueprintFiles: async () => ({}),
      getBlueprintUsage: async () => ({
        blueprint: 'bp-static-site',
        items: [
          {
            application: {
              name: siteApplication.name,
              environment: 'acme-dev',
              organization: 'acme',
              version: '1.2.0',
              source: 'catalog' as const,
            },
          },
        ],
      }),
      listEnvironments: async () => [devEnvironment],
    });
    const { findByText } = await renderCatalyst(<BlueprintOverviewContent />, { api, entity: blueprintEntity });
    expect(await findByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(await findByText('Applications using this Blueprint (1)')).toBeInTheDocument();
    expect(api.getBlueprint).toHaveBeenCalledWith('bp-static-site', {});
  });

  it('asks for a private Blueprint within its Organization', async () => {
    const api = fakeCatalystApi({ getBlueprint: pending });
    const entity = {
      ...blueprintEntity,
      metadata: { ...blueprintEntity.metadata, annotations: { 'catalyst.openova.io/blueprint': 'acme/bp-x' } },
    };
    await renderCatalyst(<BlueprintCompareContent />, { api, entity });
    expect(api.getBlueprint).toHaveBeenCalledWith('bp-x', { organization: 'acme' });
  });
});
