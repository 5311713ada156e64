import { act, waitFor } from '@testing-library/react';
import {
  devEnvironment,
  governedProdEnvironment,
  liveChangeRequest,
  siteChangeRequestItem,
  environmentEntity,
  postgresSummary,
  siteApplication,
  staticSiteSummary,
  view,
} from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { EnvironmentContent } from './EnvironmentPage';

describe('EnvironmentContent', () => {
  it('shows progress while loading', async () => {
    const api = fakeCatalystApi({ getEnvironment: pending, listApplications: pending, listBlueprints: pending });
    const { getByTestId } = await renderCatalyst(<EnvironmentContent />, { api, entity: environmentEntity });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error for an Environment the user may not read', async () => {
    const api = fakeCatalystApi({
      getEnvironment: () => Promise.reject(new Error('Environment acme-dev does not exist')),
      listApplications: async () => [],
      listBlueprints: async () => [],
    });
    const { findAllByText } = await renderCatalyst(<EnvironmentContent />, { api, entity: environmentEntity });
    expect((await findAllByText(/does not exist/))[0]).toBeInTheDocument();
  });

  it('shows an empty Environment', async () => {
    const api = fakeCatalystApi({
      getEnvironment: async () => devEnvironment,
      listApplications: async () => [],
      listBlueprints: async () => [],
    });
    const { findByText } = await renderCatalyst(<EnvironmentContent />, { api, entity: environmentEntity });
    expect(await findByText('No Applications yet')).toBeInTheDocument();
  });

  it('says how to clone its repo, and links to the Git tokens with its Organization and name', async () => {
    const api = fakeCatalystApi({
      getEnvironment: async () => devEnvironment,
      listApplications: async () => [],
      listBlueprints: async () => [],
    });
    const { findByText, getByRole } = await renderCatalyst(<EnvironmentContent />, { api, entity: environmentEntity });
    expect(await findByText('Clone this repo')).toBeInTheDocument();
    expect(await findByText('git clone http://example.com/api/catalyst/git/acme/acme-dev.git')).toBeInTheDocument();
    expect(getByRole('button', { name: 'Manage Git tokens' })).toHaveAttribute(
      'href',
      '/catalyst/git-access?organization=acme&environment=acme-dev',
    );
  });

  it('shows the Applications with live status and reloads the desired state when a new commit arrives', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('site', 'Installing')] });
    const api = fakeCatalystApi({
      getEnvironment: async () => devEnvironment,
      listApplications: async () => [siteApplication],
      listBlueprints: async () => [staticSiteSummary, postgresSummary],
    });
    const { findByTestId } = await renderCatalyst(<EnvironmentContent />, { api, entity: environmentEntity, live });
    expect(await findByTestId('section-Installing')).toHaveTextContent('Installing(1)');
    expect(live.subscriptions).toContain('acme-dev');
    const calls = api.listApplications.mock.calls.length;
    act(() => live.set('acme-dev', { applications: [view('site', 'Running')] }));
    expect(await findByTestId('section-Running')).toBeInTheDocument();
    // a status change alone does not reload; a new commit in the summary does
    expect(api.listApplications.mock.calls.length).toBe(calls);
    act(() => live.set('acme-dev', { applications: [view('site', 'Running')], lastCommit: 'f'.repeat(40) }));
    await waitFor(() => expect(api.listApplications.mock.calls.length).toBe(calls + 1));
  });

  it('shows a governed Environment’s waiting change requests, and Pending approval on the destination card, live', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', { applications: [] });
    const prodEntity = {
      ...environmentEntity,
      metadata: {
        ...environmentEntity.metadata,
        name: 'acme-prod',
        annotations: { ...environmentEntity.metadata.annotations, 'catalyst.openova.io/environment': 'acme-prod' },
      },
    };
    let requests = [] as (typeof siteChangeRequestItem)[];
    const api = fakeCatalystApi({
      getEnvironment: async () => governedProdEnvironment,
      listApplications: async () => [],
      listBlueprints: async () => [staticSiteSummary],
      listChangeRequests: async () => requests,
    });
    const { findByText, findByTestId, getAllByRole } = await renderCatalyst(<EnvironmentContent />, {
      api,
      entity: prodEntity,
      live,
    });
    expect(await findByText('No change requests')).toBeInTheDocument();
    expect(api.listChangeRequests).toHaveBeenCalledWith({ environment: 'acme-prod' });
    // a copy to acme-prod opened elsewhere: the read model shows it, the page follows without a reload
    requests = [siteChangeRequestItem];
    act(() =>
      live.set('acme-prod', {
        applications: [view('site', 'Pending approval', { openChangeRequests: ['cr-7'] })],
        changeRequests: [liveChangeRequest()],
      }),
    );
    expect(await findByTestId('section-Pending approval')).toHaveTextContent('site');
    expect(await findByTestId('application-card-pending')).toHaveTextContent('Waiting for cr-7');
    // the card's link and the change requests table's
    await waitFor(() => expect(getAllByRole('link', { name: 'cr-7' })).toHaveLength(2));
    for (const link of getAllByRole('link', { name: 'cr-7' })) {
      expect(link).toHaveAttribute('href', '/catalyst/change-requests/cr-7');
    }
  });
});
