import { act, fireEvent } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { postgresApplication, siteApplication, devEnvironment, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationTopology } from './ApplicationTopology';

describe('ApplicationTopology', () => {
  beforeAll(() => {
    // jsdom has no layout; the graph measures its nodes
    (window.SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () =>
      ({ x: 0, y: 0, width: 220, height: 60 } as DOMRect);
  });

  it('shows progress while loading', async () => {
    const api = fakeCatalystApi({ getEnvironment: pending, listApplications: pending });
    const { getByTestId } = await renderCatalyst(<ApplicationTopology environment="acme-dev" application="site" />, {
      api,
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({
      getEnvironment: () => Promise.reject(new Error('unreachable')),
      listApplications: async () => [],
    });
    const { findAllByText } = await renderCatalyst(<ApplicationTopology environment="acme-dev" application="site" />, {
      api,
    });
    expect((await findAllByText(/unreachable/))[0]).toBeInTheDocument();
  });

  it('says when the Application stands alone', async () => {
    const api = fakeCatalystApi({
      getEnvironment: async () => devEnvironment,
      listApplications: async () => [{ ...siteApplication, dependencies: [] }],
    });
    const { findByText, getByTestId } = await renderCatalyst(
      <ApplicationTopology environment="acme-dev" application="site" />,
      { api },
    );
    expect(await findByText('site has no dependencies and no Application depends on it.')).toBeInTheDocument();
    expect(getByTestId('topology-node-site')).toBeInTheDocument();
  });

  it('draws the dependencies with live status and opens a node’s page on click', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', {
      applications: [
        view('site', 'Running'),
        view('site-postgres', 'Installing', { blueprint: 'bp-postgres', version: '1.6.0' }),
      ],
    });
    const api = fakeCatalystApi({
      getEnvironment: async () => devEnvironment,
      listApplications: async () => [siteApplication, postgresApplication],
    });
    const { findByTestId, getByTestId, findByText } = await renderCatalyst(
      <Routes>
        <Route path="/" element={<ApplicationTopology environment="acme-dev" application="site" />} />
        <Route path="/catalog/acme-dev/application/site-postgres" element={<div>page of site-postgres</div>} />
      </Routes>,
      { api, live },
    );
    expect(await findByTestId('topology-node-site-postgres')).toHaveTextContent('Installing · bp-postgres @ 1.6.0');
    act(() =>
      live.set('acme-dev', {
        applications: [
          view('site', 'Running'),
          view('site-postgres', 'Running', { blueprint: 'bp-postgres', version: '1.6.0' }),
        ],
      }),
    );
    expect(getByTestId('topology-node-site-postgres')).toHaveTextContent('Running');
    fireEvent.click(getByTestId('topology-node-site-postgres'));
    expect(await findByText('page of site-postgres')).toBeInTheDocument();
  });
});
