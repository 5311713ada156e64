import { act, fireEvent, within } from '@testing-library/react';
import { blogApplication, devEnvironment, postgresApplication, prodEnvironment, siteApplication, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintUsageCard } from './BlueprintUsageCard';

const bp = { name: 'bp-static-site' };

describe('BlueprintUsageCard', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, {
      api: fakeCatalystApi({ listEnvironments: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({ listEnvironments: () => Promise.reject(new Error('boom')) });
    const { findAllByText } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, { api });
    expect((await findAllByText(/boom/))[0]).toBeInTheDocument();
  });

  it('says when no Application uses it', async () => {
    const api = fakeCatalystApi({ listEnvironments: async () => [devEnvironment], listApplications: async () => [postgresApplication] });
    const { findByText } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, { api });
    expect(await findByText('No Application uses this Blueprint yet')).toBeInTheDocument();
  });

  it('lists Applications across Environments with live status, and offers the other Environments to install into', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('site', 'Running'), view('blog', 'Degraded', { reason: '1/2 pods ready' })] });
    const api = fakeCatalystApi({
      listEnvironments: async () => [devEnvironment, { ...prodEnvironment, canInstall: true }],
      listApplications: async env => (env === 'acme-dev' ? [siteApplication, blogApplication, postgresApplication] : []),
    });
    const { findByText, getByRole, getByText, getAllByTestId } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, {
      api,
      live,
    });
    expect(await findByText('Applications using this Blueprint (2)')).toBeInTheDocument();
    expect(getByRole('link', { name: 'site' })).toHaveAttribute('href', '/catalog/acme-dev/application/site');
    expect(getByText('1/2 pods ready')).toBeInTheDocument();
    expect(getAllByTestId('application-status').map(b => b.getAttribute('data-status'))).toEqual(['Running', 'Degraded']);

    act(() => live.set('acme-dev', { applications: [view('site', 'Updating'), view('blog', 'Running')] }));
    expect(getAllByTestId('application-status').map(b => b.getAttribute('data-status'))).toEqual(['Updating', 'Running']);

    fireEvent.click(getByRole('button', { name: 'Install in another Environment' }));
    const menu = getByRole('menu');
    const prod = within(menu).getByText('acme-prod').closest('a')!;
    expect(new URL(prod.href).searchParams.get('formData')).toBe('{"environment":"acme-prod"}');
    expect(within(menu).getByText('acme-dev (has it already)')).toBeInTheDocument();
  });
});
