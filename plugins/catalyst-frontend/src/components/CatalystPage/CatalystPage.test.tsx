import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider, mockApis } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalystApiRef } from '../../api';
import { catalystLiveApiRef } from '../../api/CatalystLiveApi';
import { FakeLiveApi, fakeCatalystApi } from '../../__testUtils__/fakes';
import { staticSiteSummary, devEnvironment, siteChangeRequest } from '../../__testUtils__/fixtures';
import { rootRouteRef } from '../../routes';
import { CatalystPage } from './CatalystPage';

async function renderAt(path: string) {
  const api = fakeCatalystApi({
    listBlueprints: async () => [staticSiteSummary],
    listEnvironments: async () => [devEnvironment],
    getChangeRequest: async () => siteChangeRequest,
    listChangeRequests: async () => [],
    listGitTokens: async () => [],
    listOrganizations: async () => [],
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalystApiRef, api],
        [catalystLiveApiRef, new FakeLiveApi()],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <Routes>
        <Route path="/catalyst/*" element={<CatalystPage />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef, '/catalyst': rootRouteRef },
    },
  );
}

describe('CatalystPage', () => {
  it('opens the marketplace at its root', async () => {
    const { findByText } = await renderAt('/catalyst');
    expect(await findByText('Marketplace')).toBeInTheDocument();
    expect(await findByText('Static website')).toBeInTheDocument();
  });

  it('has the Environments list', async () => {
    const { findByRole } = await renderAt('/catalyst/environments');
    expect(await findByRole('link', { name: 'acme-dev' })).toBeInTheDocument();
  });

  it('has the change request page the notifications link to', async () => {
    const { findByText } = await renderAt('/catalyst/change-requests/cr-7');
    expect(await findByText(siteChangeRequest.title)).toBeInTheDocument();
    expect(await findByText('Change request cr-7')).toBeInTheDocument();
  });

  it('has Git access, the personal Git tokens', async () => {
    const { findByText } = await renderAt('/catalyst/git-access');
    expect(await findByText('No Git tokens yet')).toBeInTheDocument();
  });

  it('has the list of change requests', async () => {
    const { findByText } = await renderAt('/catalyst/change-requests');
    expect(await findByText('No change requests')).toBeInTheDocument();
  });
});
