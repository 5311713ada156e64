import { act, waitFor } from '@testing-library/react';
import {
  devEnvironment,
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
});
