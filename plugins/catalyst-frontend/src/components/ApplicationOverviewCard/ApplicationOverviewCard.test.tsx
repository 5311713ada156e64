import { act, waitFor } from '@testing-library/react';
import { liveChangeRequest, siteDetail, siteHistory, staticSiteDetail, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationOverviewCard, endpointOf } from './ApplicationOverviewCard';

const now = () => Date.parse('2026-11-23T12:00:00Z');

describe('ApplicationOverviewCard', () => {
  it('shows progress while loading', async () => {
    const api = fakeCatalystApi({ getApplication: pending, history: pending });
    const { getByTestId } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" />,
      { api },
    );
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error of an Application that does not exist', async () => {
    const api = fakeCatalystApi({
      getApplication: () => Promise.reject(new Error('Application site does not exist')),
      history: async () => [],
    });
    const { findAllByText } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" />,
      { api },
    );
    expect((await findAllByText(/does not exist/))[0]).toBeInTheDocument();
  });

  it('waits for an Application that is not installed yet, and shows it once the read model sees its commit', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [] });
    let installed = false;
    const notFound = Object.assign(new Error('Request failed with 404'), {
      statusCode: 404,
      cause: { name: 'NotFoundError', message: 'Application site does not exist' },
    });
    const api = fakeCatalystApi({
      getApplication: async () => {
        if (!installed) throw notFound;
        return siteDetail;
      },
      history: async () => [],
    });
    const { findByText, getByTestId } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" />,
      { api, live },
    );
    expect(await findByText('No Application site in acme-dev')).toBeInTheDocument();
    installed = true;
    const desired = {
      revision: 'd'.repeat(40),
      committedAt: '',
      author: 'guest',
      message: '',
      blueprint: null,
      version: '1.2.0',
      source: null,
      overlay: null,
      previousVersion: null,
      valuesDigest: null,
      removed: false,
      paused: false,
    };
    act(() =>
      live.set('acme-dev', {
        applications: [view('site', 'Installing', { desired, reason: 'waiting for Flux to pick up commit ddddddd' })],
      }),
    );
    expect(await findByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(getByTestId('application-status')).toHaveTextContent('Installing');
  });

  it('shows the live status with reason, version, endpoint, pods, placement, dependencies and the last deploy', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', {
      applications: [
        view('site', 'Installing', { reason: 'waiting for dependency site-postgres', pods: { ready: 0, total: 2 } }),
      ],
    });
    const api = fakeCatalystApi({
      getApplication: async () => siteDetail,
      history: async () => siteHistory,
      getBlueprint: async () => staticSiteDetail,
    });
    const { findByText, getByTestId, getByRole, getByText, queryByTestId } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" now={now} />,
      { api, live },
    );
    expect(await findByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(getByTestId('application-status')).toHaveTextContent('Installing');
    expect(getByTestId('application-status-reason')).toHaveTextContent('waiting for dependency site-postgres');
    expect(getByRole('link', { name: /site.acme.example ↗/ })).toHaveAttribute('href', 'https://site.acme.example');
    expect(getByText('0 / 2 pods')).toBeInTheDocument();
    expect(getByText('single-region in eu-central')).toBeInTheDocument();
    expect(getByRole('link', { name: 'site-postgres' })).toHaveAttribute(
      'href',
      '/catalog/acme-dev/application/site-postgres',
    );
    expect(await findByText('2 hours ago by layla: Configure site')).toBeInTheDocument();
    // 1.2.0 is the latest version of bp-static-site: nothing to offer
    await waitFor(() => expect(api.getBlueprint).toHaveBeenCalled());
    await waitFor(() => expect(queryByTestId('upgrade-checking')).toBeNull());
    expect(queryByTestId('upgrade-offer')).toBeNull();

    // live: Installing → Running without reloading
    act(() => live.set('acme-dev', { applications: [view('site', 'Running')] }));
    expect(getByTestId('application-status')).toHaveTextContent('Running');
    expect(getByTestId('application-status-reason')).toHaveTextContent('2/2 pods ready');
  });

  it('offers the upgrade when a newer version of its Blueprint is registered', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => ({ ...siteDetail, version: '1.1.0' }),
      history: async () => siteHistory,
      getBlueprint: async () => staticSiteDetail,
      planUpdate: async () => ({ plan: {} as never, files: {}, changes: [] }),
    });
    const { findByTestId } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" now={now} />,
      { api },
    );
    expect(await findByTestId('upgrade-offer')).toHaveTextContent('Upgrade available: 1.2.0');
    await waitFor(() => expect(api.planUpdate).toHaveBeenCalledWith('acme-dev', 'site', { version: '1.2.0' }));
  });

  it('shows Pending approval with the change request while one is open, and Running once it merged', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', {
      applications: [
        view('site', 'Pending approval', { version: '1.1.0', targetVersion: '1.2.0', openChangeRequests: ['cr-7'] }),
      ],
      changeRequests: [liveChangeRequest()],
    });
    const api = fakeCatalystApi({
      getApplication: async () => ({ ...siteDetail, environment: 'acme-prod', version: '1.1.0' }),
      history: async () => siteHistory,
    });
    const { findByTestId, getByTestId, queryByTestId } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-prod" application="site" now={now} />,
      { api, live },
    );
    expect(await findByTestId('pending-cr-7')).toHaveTextContent('Pending approval in acme-prod: change request cr-7');
    expect(getByTestId('application-status')).toHaveTextContent('Pending approval');
    act(() =>
      live.set('acme-prod', {
        applications: [view('site', 'Running', { version: '1.2.0' })],
        changeRequests: [liveChangeRequest({ status: 'merged' })],
      }),
    );
    expect(queryByTestId('pending-change-requests')).toBeNull();
    expect(getByTestId('application-status')).toHaveTextContent('Running');
  });

  it('shows the change request that would install an Application not in Git yet', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', {
      applications: [view('site', 'Pending approval', { openChangeRequests: ['cr-7'] })],
      changeRequests: [liveChangeRequest()],
    });
    const api = fakeCatalystApi({
      getApplication: () => Promise.reject(Object.assign(new Error('No Application site'), { statusCode: 404 })),
      history: async () => [],
    });
    const { findByText, getByTestId } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-prod" application="site" />,
      { api, live },
    );
    expect(await findByText('It is installed when the change request merges.')).toBeInTheDocument();
    expect(getByTestId('pending-cr-7')).toBeInTheDocument();
  });

  it('reloads from Git when the live view reports a new commit for the Application', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('site', 'Running')] });
    const api = fakeCatalystApi({ getApplication: async () => siteDetail, history: async () => siteHistory });
    const { findByText } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" now={now} />,
      { api, live },
    );
    await findByText('bp-static-site @ 1.2.0');
    expect(api.getApplication).toHaveBeenCalledTimes(1);
    const desired = {
      revision: 'd'.repeat(40),
      committedAt: '',
      author: 'layla',
      message: '',
      blueprint: null,
      version: '1.2.0',
      source: null,
      overlay: null,
      previousVersion: null,
      valuesDigest: null,
      removed: false,
      paused: false,
    };
    act(() => live.set('acme-dev', { applications: [view('site', 'Updating', { desired })] }));
    await waitFor(() => expect(api.getApplication).toHaveBeenCalledTimes(2));
  });

  it('says why there is no live status, and shows a failure prominently', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('site', 'Failed', { reason: 'CrashLoopBackOff: web restarting' })] });
    const api = fakeCatalystApi({ getApplication: async () => siteDetail, history: async () => [] });
    const { findAllByText } = await renderCatalyst(
      <ApplicationOverviewCard environment="acme-dev" application="site" />,
      { api, live },
    );
    expect((await findAllByText(/CrashLoopBackOff: web restarting/)).length).toBe(2);
  });

  it.each([
    [{ domain: 'shop.example.com' }, 'https://shop.example.com'],
    // eslint-disable-next-line no-script-url -- a value that must never become a link
    [{ domain: 'javascript:alert(1)' }, undefined],
    [{ domain: 3 }, undefined],
    [{}, undefined],
  ])('links the endpoint of %j as %s', (values, expected) => expect(endpointOf(values)).toBe(expected));
});
