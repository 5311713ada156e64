import { applicationEntity, siteDetail, siteHistory, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import {
  ApplicationEventsContent,
  ApplicationHistoryContent,
  ApplicationManifestsContent,
  ApplicationOverviewContent,
  ApplicationSettingsContent,
  ApplicationTopologyContent,
} from './ApplicationPages';

const contents = [
  ['Overview', ApplicationOverviewContent],
  ['Settings', ApplicationSettingsContent],
  ['Topology', ApplicationTopologyContent],
  ['History', ApplicationHistoryContent],
  ['Manifests', ApplicationManifestsContent],
  ['Events', ApplicationEventsContent],
] as const;

describe('Application entity contents', () => {
  it.each(contents)(
    '%s shows the missing-annotation state for an Application entity without annotations',
    async (_name, Content) => {
      const { getByText } = await renderCatalyst(<Content />, {
        entity: { ...applicationEntity, metadata: { name: 'site', namespace: 'acme-dev', annotations: {} } },
      });
      expect(getByText('catalyst.openova.io/application', { selector: 'code' })).toBeInTheDocument();
    },
  );

  it.each(contents)('%s loads the Application the entity names', async (_name, Content) => {
    const api = fakeCatalystApi({
      getApplication: pending,
      history: pending,
      getEnvironment: pending,
      listApplications: pending,
    });
    const live = new FakeLiveApi();
    await renderCatalyst(<Content />, { api, live, entity: applicationEntity });
    expect(live.subscriptions).toContain('acme-dev');
  });

  it('shows the Application card with its events on the Overview tab', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', {
      applications: [view('site', 'Running')],
      activity: {
        site: [
          {
            id: 'e',
            type: 'io.catalyst.application.installed',
            time: '2026-11-23T10:00:00Z',
            summary: 'Installed site',
            actor: null,
          },
        ],
      },
    });
    const api = fakeCatalystApi({ getApplication: async () => siteDetail, history: async () => siteHistory });
    const { findByText, getByText } = await renderCatalyst(<ApplicationOverviewContent />, {
      api,
      live,
      entity: applicationEntity,
    });
    expect(await findByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(getByText('Installed site')).toBeInTheDocument();
    expect(api.getApplication).toHaveBeenCalledWith('acme-dev', 'site');
  });
});
