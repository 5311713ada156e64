import { Route, Routes } from 'react-router-dom';
import { siteDetail, siteHistory, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationPage } from './ApplicationPage';

describe('ApplicationPage', () => {
  it('shows the Application named in the URL with its tabs and a link to its catalog page', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('site', 'Running')] });
    const api = fakeCatalystApi({ getApplication: async () => siteDetail, history: async () => siteHistory });
    const { findByText, getByRole } = await renderCatalyst(
      <Routes>
        <Route path="/catalyst/applications/:environment/:application/*" element={<ApplicationPage />} />
      </Routes>,
      { api, live, routeEntries: ['/catalyst/applications/acme-dev/site'] },
    );
    expect(await findByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(getByRole('link', { name: /Open \(with Kubernetes\)/ })).toHaveAttribute(
      'href',
      '/catalog/acme-dev/application/site',
    );
    for (const tab of ['Overview', 'Settings', 'Topology', 'History', 'Manifests', 'Events']) {
      expect(getByRole('tab', { name: tab })).toBeInTheDocument();
    }
    expect(api.getApplication).toHaveBeenCalledWith('acme-dev', 'site');
  });
});
